import type { Severity } from '../schemas/scan-vocabulary.ts';
import type { ScannerCounters } from '../schemas/scanner-results.ts';

/** Severity weights of the derived risk score. */
export const RISK_WEIGHTS: Record<Severity, number> = { critical: 40, high: 20, medium: 8, low: 2, info: 0 };

/**
 * Run counters: the scanner's totals where it sent them, otherwise derived from the stored (deduplicated)
 * pages and issues. Derived risk score = min(100, round(Σ weight(severity) × confidence / 100)) with
 * weights critical 40, high 20, medium 8, low 2, info 0 — one confident critical finding alone scores 40,
 * three of them saturate at 100.
 */
export function computeCounters(
  scanner: ScannerCounters | undefined,
  pagesCount: number,
  issues: { severity: Severity; confidence: number }[],
) {
  const bySeverity = (s: Severity) => issues.filter((i) => i.severity === s).length;
  const derivedRisk = Math.min(
    100,
    Math.round(issues.reduce((sum, i) => sum + (RISK_WEIGHTS[i.severity] * i.confidence) / 100, 0)),
  );
  return {
    pages_scanned: scanner?.pagesScanned ?? pagesCount,
    issues_count: scanner?.issuesCount ?? issues.length,
    critical_count: scanner?.criticalCount ?? bySeverity('critical'),
    high_count: scanner?.highCount ?? bySeverity('high'),
    medium_count: scanner?.mediumCount ?? bySeverity('medium'),
    low_count: scanner?.lowCount ?? bySeverity('low'),
    info_count: scanner?.infoCount ?? bySeverity('info'),
    risk_score: scanner?.riskScore ?? derivedRisk,
    source: scanner && Object.keys(scanner).length > 0 ? 'scanner' : 'derived',
  } as const;
}
