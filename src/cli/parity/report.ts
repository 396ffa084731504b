/** What `riflow parity` prints: the comparison, a recording's outcome, the settings applied, the policy in force. */
import type { SettledSettings } from '../../parity/apply';
import { describeSource } from '../../parity/apply';
import type { CaseComparison, ComparisonSummary } from '../../parity/compare';
import type { RecordResult } from '../../parity/record';
import type { SnapshotSource } from '../../parity/snapshots';
import type { SettingInForce } from '../policy';
import type { Styles } from '../terminal';

const show = (value: unknown): string => (value === undefined ? '(absent)' : JSON.stringify(value));

function sourceText(source: SnapshotSource | undefined): string {
  if (!source) return '';
  return source.kind === 'recorded' ? `recorded ${source.region} ${source.date}` : `doc ${source.page}`;
}

export function renderComparison(results: readonly CaseComparison[], summary: ComparisonSummary, style: Styles): string {
  const width = Math.max(...results.map((result) => result.id.length));
  const lines: string[] = [];
  for (const result of results) {
    const id = result.id.padEnd(width);
    switch (result.verdict) {
      case 'agrees':
        lines.push(`  ${style.green('✓')} ${id}  agrees ${style.dim(`(${sourceText(result.source)}; ${result.fields.join(', ')})`)}`);
        break;
      case 'unconfirmed':
        lines.push(`  ${style.yellow('?')} ${id}  unconfirmed: no snapshot${result.error ? ` (and the twin failed: ${result.error})` : ''}`);
        break;
      case 'failed':
        lines.push(`  ${style.red('✗')} ${id}  the twin's run failed: ${result.error ?? ''} ${style.dim(`(${sourceText(result.source)})`)}`);
        break;
      case 'differs':
        lines.push(`  ${style.red('✗')} ${id}  differs ${style.dim(`(${sourceText(result.source)})`)}`);
        for (const difference of result.differences) {
          lines.push(`      ${difference.field}: cloud ${show(difference.cloud)}, twin ${show(difference.twin)}`);
          for (const suggestion of difference.suggestions) {
            lines.push(`        → set ${style.bold(suggestion.setting)} to ${show(suggestion.value)} (in force: ${show(suggestion.inForce)})`);
          }
          if (difference.fixedIn) lines.push(`        → no setting makes them agree: the twin's behaviour is fixed in ${difference.fixedIn}`);
        }
        break;
    }
  }
  const total = results.length;
  lines.push('');
  lines.push(`${total} case${total === 1 ? '' : 's'}: ${summary.agrees} agree, ${summary.differs} differ, ${summary.failed} failed on the twin, ${summary.unconfirmed} unconfirmed (no snapshot: run riflow parity --record with an account).`);
  if (summary.differs > 0 && results.some((result) => result.differences.some((difference) => difference.suggestions.length > 0))) {
    lines.push('riflow parity --apply writes the suggested settings into the policy file.');
  }
  return `${lines.join('\n')}\n`;
}

export function renderRecording(result: RecordResult, style: Styles): string {
  const lines: string[] = [];
  if (result.deployError) lines.push(`  ${style.red('✗')} the probes could not be deployed: ${result.deployError}`);
  for (const entry of result.cases) {
    if (entry.outcome === 'recorded') lines.push(`  ${style.green('✓')} ${entry.id}  recorded → ${entry.file}`);
    else if (entry.outcome === 'skipped') lines.push(`  ${style.yellow('-')} ${entry.id}  skipped: ${entry.reason}`);
    else lines.push(`  ${style.red('✗')} ${entry.id}  failed: ${entry.reason}`);
  }
  lines.push(result.removeError ? `  ${style.red('✗')} the probes could not be removed: ${result.removeError}` : '  the probes were removed');
  return `${lines.join('\n')}\n`;
}

export function renderSettled(settled: SettledSettings, style: Styles): string {
  const lines = [...settled.settled.values()].map((value) => `  ${style.bold(value.setting)} = ${show(value.value)}  ${style.dim(describeSource(value))}`);
  for (const { kept, dropped } of settled.overridden) {
    lines.push(`  ${style.yellow('note')} ${kept.setting}: the recording (case ${kept.caseId}) wins over the doc page's ${show(dropped.value)} (case ${dropped.caseId})`);
  }
  return `${lines.join('\n')}\n`;
}

export function renderSettings(settings: readonly SettingInForce[], style: Styles): string {
  const width = Math.max(...settings.map((setting) => setting.path.length));
  const valueWidth = Math.max(...settings.map((setting) => show(setting.value).length));
  return `${settings
    .map((setting) => {
      const where = setting.fromFile ? style.cyan(`policy file${setting.source ? `: ${setting.source}` : ''}`) : style.dim('built in');
      return `  ${setting.path.padEnd(width)}  ${show(setting.value).padEnd(valueWidth)}  ${where}`;
    })
    .join('\n')}\n`;
}
