/**
 * A CloudMonitor threshold alert as the alert rule's push channel writes it to a queue (PutMetricRuleTargets with
 * the queue's ARN): a JSON body
 *   {ruleId, ruleName, curLevel, preLevel, resources: "{\"instanceId\": \"…\"}",
 *    escalation: {comparisonOperator, level, statistics, tag, threshold, times},
 *    metricData: {timestamp, userId, instanceId, Average, Maximum, Minimum, …},
 *    metricName, namespace, period, time, userId, eventName, eventType, batchId, version, …}
 * ("Write alert information to Simple Message Queue (formerly MNS)",
 * https://www.alibabacloud.com/help/en/cms/cloudmonitor-1-0/user-guide/write-alerts-to-mns). For a router interface
 * (namespace acs_express_connect) the instance is the router interface id.
 *
 * riflow reads which interface, and which way the rule points: a Greater… comparison (bandwidth above a threshold)
 * asks for a bigger spec, a Less… one for a smaller spec (the ComparisonOperator values of PutResourceMetricRule,
 * https://www.alibabacloud.com/help/en/cms/cloudmonitor-1-0/developer-reference/api-putresourcemetricrule, come in
 * Greater…/Less… pairs plus Equal/NotEqual). The metric and the threshold are the rule's business.
 */
import { InvalidInputError } from '../input-error/invalid-input';
import { escapeText } from '../rpc/safe-text';
import { validateRouterInterfaceId } from '../vpc/validate';

type Bag = Record<string, unknown>;

/** CRITICAL, WARN and INFO are raised alerts; OK is the notice that an alert cleared (nothing to do). */
export const ALERT_LEVELS = ['CRITICAL', 'WARN', 'INFO', 'OK'] as const;
export type AlertLevel = (typeof ALERT_LEVELS)[number];

export type SpecDirection = 'up' | 'down';

export interface CloudMonitorAlert {
  ruleName: string;
  level: AlertLevel;
  routerInterfaceId: string;
  /** Which way to step the spec; absent when the alert cleared. */
  direction?: SpecDirection;
}

function isBag(value: unknown): value is Bag {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A queue body is an alert when it carries the rule id and the alert level CloudMonitor always writes. */
export function isCloudMonitorAlert(body: unknown): body is Bag {
  return isBag(body) && typeof body.ruleId === 'string' && 'curLevel' in body;
}

function instanceIdOf(alert: Bag, field: string): unknown {
  let resources = alert.resources;
  if (typeof resources === 'string') {
    try {
      resources = JSON.parse(resources) as unknown;
    } catch {
      throw new InvalidInputError(`${field}.resources`, 'json', 'must be the JSON text {"instanceId": "ri-…"} CloudMonitor writes');
    }
  }
  if (isBag(resources) && resources.instanceId !== undefined) return resources.instanceId;
  return isBag(alert.metricData) ? alert.metricData.instanceId : undefined;
}

function directionOf(alert: Bag, field: string): SpecDirection {
  const operator = isBag(alert.escalation) ? alert.escalation.comparisonOperator : undefined;
  if (typeof operator === 'string' && operator.startsWith('Greater')) return 'up';
  if (typeof operator === 'string' && operator.startsWith('Less')) return 'down';
  throw new InvalidInputError(
    `${field}.escalation.comparisonOperator`,
    'comparison-operator',
    `must be a Greater… (step the spec up) or Less… (step it down) comparison (got ${JSON.stringify(escapeText(String(operator), 60))})`,
  );
}

/** The interface and the step an alert asks for; `InvalidInput` naming the field for anything else. */
export function readCloudMonitorAlert(alert: Bag, field: string): CloudMonitorAlert {
  const level = alert.curLevel;
  if (!(ALERT_LEVELS as readonly unknown[]).includes(level)) {
    throw new InvalidInputError(`${field}.curLevel`, 'level', `must be one of ${ALERT_LEVELS.join(', ')} (got ${JSON.stringify(escapeText(String(level), 40))})`);
  }
  const routerInterfaceId = validateRouterInterfaceId(instanceIdOf(alert, field), `${field}.resources.instanceId`);
  const ruleName = typeof alert.ruleName === 'string' ? alert.ruleName : String(alert.ruleId);
  if (level === 'OK') return { ruleName, level, routerInterfaceId };
  return { ruleName, level: level as AlertLevel, routerInterfaceId, direction: directionOf(alert, field) };
}
