import { execFile } from 'node:child_process';
import { join } from 'node:path';

export const repoRoot = join(__dirname, '../..');
const offlineFence = join(__dirname, 'offlineFence.cjs');

export type Severity = 'INFORMATIONAL' | 'LOW' | 'MEDIUM' | 'HIGH';
const severities: readonly string[] = ['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH'];

export interface Finding {
  id: string;
  severity: Severity;
  confidence: string;
  file: string;
  location: string;
  sample: string;
  description: string;
}

export interface ScanResult {
  findings: Finding[];
  /** Files Electronegativity could not parse (their checks did not run). */
  parseErrors: string[];
  /** How many checks ran. */
  checkCount: number;
}

// Electronegativity's own runner, the function its CLI calls with the same options. The CLI is not
// used because its CSV writer (1.10.3) writes the header and the rows with two concurrent
// fs.writeFile calls that can interleave and corrupt the report, and because with a report file it
// drops parse errors. The runner returns both, as plain data printed here as JSON.
const runnerScript = `
const run = require('@doyensec/electronegativity');
const [input, electronVersion] = process.argv.slice(1);
run({
  input,
  isRelative: true,
  isVerbose: false,
  customScan: [],
  // Needs the network (Electron's release list, for security fixes newer than ours).
  excludeFromScan: ['availablesecurityfixesglobalcheck'],
  electronVersionOverride: electronVersion,
  parserPlugins: [],
}).then((result) => {
  process.stdout.write(JSON.stringify({
    checkCount: result.globalChecks + result.atomicChecks,
    parseErrors: result.errors.filter((e) => !e.tolerable).map((e) => e.file + ': ' + e.message),
    findings: result.issues.map((issue) => ({
      id: issue.id,
      severity: issue.severity.name,
      confidence: issue.confidence.name,
      file: issue.file,
      location: issue.location.line + ':' + issue.location.column,
      sample: issue.sample || '',
      description: issue.description,
    })),
  }));
});
`;

/**
 * Runs Electronegativity on `inputDir`, told the Electron version so it needs no lookup, and
 * returns its report. A preloaded fence keeps its start-up downloads (translations) from leaving
 * the machine.
 */
export async function runElectronegativity(
  inputDir: string,
  electronVersion: string,
): Promise<ScanResult> {
  const stdout = await new Promise<string>((resolve, reject) => {
    execFile(
      process.execPath,
      ['--require', offlineFence, '-e', runnerScript, inputDir, electronVersion],
      { cwd: repoRoot, maxBuffer: 16 * 1024 * 1024 },
      (error, out, err) => (error ? reject(new Error(`${error.message}\n${err}`)) : resolve(out)),
    );
  });
  // The runner prints a line about translations before the report.
  const report = JSON.parse(stdout.slice(stdout.indexOf('{'))) as ScanResult;
  for (const finding of report.findings) {
    if (!severities.includes(finding.severity)) {
      throw new Error(`unknown severity in report: ${JSON.stringify(finding)}`);
    }
  }
  return report;
}

/** One finding a person reviewed and accepted: matched by check, file and the flagged code. */
export interface AcceptedFinding {
  id: string;
  file: string;
  sample: string;
  /** Why it is acceptable; the same reason is written in docs/security.md. */
  reason: string;
}

/**
 * esbuild numbers its import bindings (`import_electron10`) by how many modules import electron,
 * so a sample from the bundle is compared without that number.
 */
function withoutBundlerNumbers(sample: string): string {
  return sample.replace(/\b(import_\w+?)\d+\./g, '$1.');
}

export function isAccepted(finding: Finding, accepted: readonly AcceptedFinding[]): boolean {
  return accepted.some(
    (entry) =>
      entry.id === finding.id &&
      entry.file === finding.file &&
      withoutBundlerNumbers(finding.sample) === withoutBundlerNumbers(entry.sample),
  );
}

export function describeFinding(finding: Finding): string {
  return `${finding.severity} ${finding.id} ${finding.file}:${finding.location} ${finding.sample}`;
}
