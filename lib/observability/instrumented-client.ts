import 'server-only';
import { isSagError, type SagClient } from '@/lib/sag/client';
import { DOCUMENTED_ERROR_CODES, lookupErrorCode } from '@/lib/sag/error-messages';
import type { SagRoamMetrics } from './metrics';

/**
 * The SAG client with every call counted and timed: `sag_roam_api_calls_total{action,outcome,code}`,
 * `sag_roam_api_call_seconds{action}` and `sag_roam_throttled_total`. It changes nothing about a call: the
 * same answer, the same error, nothing added. Wrapped once in lib/runtime.ts, so the worker, the plans and the
 * pickers are all counted.
 *
 * A Describe call's automatic retries happen inside the client, so they count as one call here (with the
 * time of them all); RoamClientUser and DeleteSmartAccessGatewayClientUser are never retried, so every
 * throttling answer to them is counted.
 */

/** Error codes as the catalogue knows them; any other (an unknown `InvalidFoo`, a proxy's) is `other`. */
const KNOWN_CODES = new Set(DOCUMENTED_ERROR_CODES);

export function metricsCodeOf(code: string): string {
  return KNOWN_CODES.has(code) ? code : 'other';
}

type ApiMetrics = Pick<SagRoamMetrics, 'apiCalls' | 'apiCallSeconds' | 'throttled'>;

export function instrumentSagClient(client: SagClient, metrics: ApiMetrics): SagClient {
  function counted<Input extends unknown[], Output>(
    action: string,
    call: (...input: Input) => Promise<Output>,
  ): (...input: Input) => Promise<Output> {
    return async (...input) => {
      const stopTimer = metrics.apiCallSeconds.startTimer({ action });
      try {
        const result = await call(...input);
        metrics.apiCalls.inc({ action, outcome: 'ok', code: 'OK' });
        return result;
      } catch (error) {
        if (isSagError(error)) {
          metrics.apiCalls.inc({ action, outcome: error.outcome, code: metricsCodeOf(error.code) });
          if (lookupErrorCode(error.code, error.httpStatus).category === 'throttling')
            metrics.throttled.inc();
        } else {
          // Not the client's own error type: nothing says whether it reached the API.
          metrics.apiCalls.inc({ action, outcome: 'unknown', code: 'other' });
        }
        throw error;
      } finally {
        stopTimer();
      }
    };
  }

  return {
    get endpoints() {
      return client.endpoints;
    },
    close: () => client.close(),
    roamClientUser: counted('RoamClientUser', (input) => client.roamClientUser(input)),
    deleteSmartAccessGatewayClientUser: counted('DeleteSmartAccessGatewayClientUser', (input) =>
      client.deleteSmartAccessGatewayClientUser(input),
    ),
    describeSmartAccessGatewayClientUsers: counted('DescribeSmartAccessGatewayClientUsers', (input) =>
      client.describeSmartAccessGatewayClientUsers(input),
    ),
    describeSmartAccessGatewaysPage: counted('DescribeSmartAccessGateways', (input) =>
      client.describeSmartAccessGatewaysPage(input),
    ),
    // Every page of the list at once: its pages are not seen one by one from outside the client, so the
    // whole listing is one observation of its own, kept apart from the single pages.
    describeSmartAccessGateways: counted('DescribeSmartAccessGatewaysAllPages', (input) =>
      client.describeSmartAccessGateways(input),
    ),
    describeRegions: counted('DescribeRegions', (input) => client.describeRegions(input)),
  };
}
