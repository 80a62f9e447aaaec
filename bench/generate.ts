/**
 * Child process of the bench: generates one data set, with progress on stderr. It runs apart from
 * the measuring process so that the generator's memory never counts in the audit's peak RSS.
 *
 *   tsx bench/generate.ts <outDir> <requests> <days> <seed> <format>
 */
import { progressBar } from "../lib/cli/progress.ts";
import { generateTraffic } from "../lib/generate/index.ts";

const [outDir, requests, days, seed, format] = process.argv.slice(2);
if (
  !outDir ||
  !requests ||
  !days ||
  !seed ||
  (format !== "parquet" && format !== "jsonl" && format !== "jsonl.gz")
) {
  process.stderr.write(
    "usage: tsx bench/generate.ts <outDir> <requests> <days> <seed> <parquet|jsonl|jsonl.gz>\n",
  );
  process.exit(2);
}
const bar = progressBar(`generating ${requests} ${format} requests`);
const summary = await generateTraffic({
  outDir,
  requests: Number(requests),
  days: Number(days),
  seed: Number(seed),
  format,
  mix: "baseline",
  onProgress: (done, total) => bar.update(done, total),
});
bar.stop();
process.stderr.write(
  `generated ${summary.requests} requests from ${summary.accounts} accounts into ${outDir}\n`,
);
