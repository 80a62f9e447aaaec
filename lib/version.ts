import pkg from "../package.json" with { type: "json" };

/** The code version recorded in every report: the package version, plus the build's commit when known. */
export const CODE_VERSION: string = process.env.DISTILL_AUDIT_CODE_VERSION ?? `distill-audit@${pkg.version}`;
