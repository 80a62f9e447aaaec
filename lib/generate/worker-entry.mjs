// Worker-thread entry: load the TypeScript worker through tsx (works under tsx, vitest or plain node).
import { tsImport } from "tsx/esm/api";

await tsImport("./worker.ts", import.meta.url);
