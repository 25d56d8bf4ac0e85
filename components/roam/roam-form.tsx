'use client';

import { type ReactNode, useEffect, useId, useMemo, useRef, useState, useTransition } from 'react';
import { type Control, Controller, type Resolver, useController, useForm } from 'react-hook-form';
import { useI18n } from '@/components/i18n/i18n-provider';
import { onDemand, whenIdle } from '@/components/on-demand';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import type { ActionLink } from '@/lib/actions/result';
import { createRoamJobAction } from '@/lib/actions/roam/create-roam-job';
import { planRoamJobAction } from '@/lib/actions/roam/plan-roam-job';
import { schemaResolver } from '@/lib/forms/schema-resolver';
import type { PlanView } from '@/lib/roam/plan-view';
import { ROUTE_PARAMS, type RouteValues, withRoute } from '@/lib/roam/route-params';
import type { RoamJob, RoamJobInput } from '@/lib/roam/schema';
import type { JobView } from '@/lib/roam/view-models';
import { InstancePicker } from './instance-picker';
import { PlanPanel, type PlanPanelState, planDetails } from './plan-panel';
import { RegionSelect } from './region-select';
import { UsernameInput, type UsernameInputHandle } from './username-input';

// Loaded when a job is shown (after a submit, or with ?job=), not with the empty form.
const jobProgress = onDemand(() => import('./job-progress'));
const JobProgress = jobProgress.component((module) => module.JobProgress);

// The schema (and zod with it) is needed when the form is first checked, not to show it: it loads while the
// browser is idle after the page has hydrated, and a check that comes first waits for it.
const roamSchema = onDemand(() => import('@/lib/roam/schema'));

const emptyForm: RoamJobInput = {
  originRegionId: '',
  originInstanceId: '',
  targetRegionId: '',
  targetInstanceId: '',
  usernames: [],
};

export function RoamForm({
  maxUsernames,
  initialJobId,
  initialRoute,
  initialUsernames = [],
  notice,
  runningJobs,
}: {
  maxUsernames: number;
  initialJobId: string | null;
  /** The origin and target the page's address carries (a reload keeps them). */
  initialRoute: RouteValues;
  /** Usernames to start with (roaming again those a verify found missing). */
  initialUsernames?: string[];
  /** Says where the starting values come from, above the form. */
  notice?: ReactNode;
  /** The person's running jobs, shown where the plan and the job will show, until there is one. */
  runningJobs?: ReactNode;
}) {
  const formId = useId();
  const { t } = useI18n();
  const resolver = useMemo<Resolver<RoamJobInput, unknown, RoamJob>>(() => {
    let resolve: Resolver<RoamJobInput, unknown, RoamJob> | null = null;
    return async (values, context, options) => {
      resolve ??= schemaResolver((await roamSchema.preload()).createRoamJobSchema(maxUsernames, t));
      return resolve(values, context, options);
    };
  }, [maxUsernames, t]);
  const [submitting, startSubmit] = useTransition();
  const [checking, startCheck] = useTransition();
  const [formError, setFormError] = useState<{ title: string; message: string; link?: ActionLink } | null>(
    null,
  );
  const [planState, setPlanState] = useState<PlanPanelState>({ kind: 'idle' });
  /** The values the shown plan was made for: what is sent when the admin confirms it. */
  const plannedValues = useRef<RoamJob | null>(null);
  /** Counts edits, so that a plan asked before an edit is not shown after it. */
  const edits = useRef(0);
  const formRef = useRef<HTMLFormElement>(null);
  const usernameInput = useRef<UsernameInputHandle | null>(null);
  /** The job's place in the page: it takes focus and comes into view as soon as a job starts. */
  const jobRegion = useRef<HTMLDivElement>(null);
  const [returnFocus, setReturnFocus] = useState(false);
  const [job, setJob] = useState<{ id: string; initial: JobView | null; started: boolean } | null>(
    initialJobId ? { id: initialJobId, initial: null, started: false } : null,
  );
  const form = useForm<RoamJobInput, unknown, RoamJob>({
    resolver,
    defaultValues: { ...emptyForm, ...initialRoute, usernames: initialUsernames },
    mode: 'onSubmit',
    reValidateMode: 'onChange',
  });
  const { control, handleSubmit, watch, setError, formState } = form;
  const errors = formState.errors;
  const originRegionId = watch('originRegionId');
  const originInstanceId = watch('originInstanceId');

  // What the first check and its plan need, fetched once the page is idle (ignored if it fails: each is
  // loaded again when it is needed, and a failure shows there).
  useEffect(
    () =>
      whenIdle(() => {
        roamSchema.preload().catch(() => {});
        planDetails.preload().catch(() => {});
        jobProgress.preload().catch(() => {});
      }),
    [],
  );

  // A plan holds for the values it was made for: any edit discards it, and the admin checks again.
  useEffect(() => {
    const subscription = watch((_values, { name }) => {
      if (!name) return;
      edits.current += 1;
      plannedValues.current = null;
      setPlanState((state) => (state.kind === 'idle' ? state : { kind: 'discarded' }));
    });
    return () => subscription.unsubscribe();
  }, [watch]);

  // The route goes into the address as it is chosen, so that a reload or a shared link keeps it (the history
  // entry is replaced, not added: Back leaves the page rather than undoing a choice).
  useEffect(() => {
    const subscription = watch((values, { name }) => {
      if (!name || !(name in ROUTE_PARAMS)) return;
      const params = withRoute(new URLSearchParams(window.location.search), values).toString();
      window.history.replaceState(null, '', params ? `/?${params}` : '/');
    });
    return () => subscription.unsubscribe();
  }, [watch]);

  // A job just started is what the admin looks at next, on a wide screen and a phone alike.
  useEffect(() => {
    if (!job?.started || !jobRegion.current) return;
    jobRegion.current.scrollIntoView({ block: 'start' });
    jobRegion.current.focus({ preventScroll: true });
  }, [job]);

  const showFailure = (
    title: string,
    result: {
      formError: string;
      fieldErrors?: Record<string, string[]>;
      reference?: string;
      link?: ActionLink;
    },
  ) => {
    for (const [field, messages] of Object.entries(result.fieldErrors ?? {})) {
      if (field in emptyForm && messages[0]) {
        setError(field as keyof RoamJobInput, { type: 'server', message: messages[0] });
      }
    }
    setFormError({
      title,
      message: result.reference
        ? t('roam.reference', { message: result.formError, reference: result.reference })
        : result.formError,
      link: result.link,
    });
  };

  const send = (values: RoamJob, plan: PlanView, sendWithoutChecks: boolean) => {
    setFormError(null);
    startSubmit(async () => {
      // The server plans again and refuses what its own plan refuses; the time says which plan was confirmed.
      // The job view's code is in before the job shows: it renders whole at once, so that scrolling to it
      // lands on the job rather than on an empty box at the end of a page too short to scroll that far.
      const [result] = await Promise.all([
        createRoamJobAction({
          ...values,
          confirmedPlanAt: plan.computedAt,
          ...(sendWithoutChecks ? { sendWithoutChecks: true } : {}),
        }),
        jobProgress.preload().catch(() => {}),
      ]);
      plannedValues.current = null;
      setPlanState({ kind: 'idle' });
      if (!result.ok) {
        showFailure(t('roam.notStarted'), result);
        setReturnFocus(true);
        return;
      }
      setJob({ id: result.data.jobId, initial: result.data.job, started: true });
      const params = new URLSearchParams(window.location.search);
      params.set('job', result.data.jobId);
      // The names of "roam again" are sent now: a reload shows this job, not the form filled with them again.
      params.delete('again');
      // At once, with the job on screen (as the route is): a link copied now, or a reload, shows this job. The
      // page needs nothing new from the server for it, so the history entry is replaced without a navigation.
      window.history.replaceState(null, '', `/?${params}`);
    });
  };

  // Roam asks for the plan first; nothing is sent before the admin has seen it (a lone username with nothing
  // found goes straight on: its plan is the whole confirmation there is).
  const check = handleSubmit((values) => {
    setFormError(null);
    const editsBefore = edits.current;
    setPlanState({ kind: 'checking' });
    // The plan's view, if the idle time has not brought it yet.
    planDetails.preload().catch(() => {});
    startCheck(async () => {
      const result = await planRoamJobAction(values);
      if (edits.current !== editsBefore) return;
      if (!result.ok) {
        setPlanState({ kind: 'idle' });
        showFailure(t('planPanel.cannotCheck'), result);
        return;
      }
      const plan = result.data;
      const straightOn =
        !plan.blocked &&
        !plan.needsConfirmationOfUnknowns &&
        plan.counts.total === 1 &&
        plan.findings.length === 0;
      plannedValues.current = values;
      setPlanState({ kind: 'ready', plan, decide: !straightOn });
      if (straightOn) send(values, plan, false);
    });
  });

  // Roam takes what is still in the paste box too: two names typed there and not yet added are what the
  // admin means to send, not an empty list.
  const roam = (event?: { preventDefault: () => void }) => {
    event?.preventDefault();
    usernameInput.current?.addPending();
    return check();
  };

  const confirm = ({ sendWithoutChecks }: { sendWithoutChecks: boolean }) => {
    if (planState.kind !== 'ready' || !plannedValues.current) return;
    // Focus goes to the job once it has started, or back to Roam if it could not be started.
    send(plannedValues.current, planState.plan, sendWithoutChecks);
  };
  const back = () => {
    plannedValues.current = null;
    setPlanState({ kind: 'idle' });
    setReturnFocus(true);
  };
  // The plan's own buttons take over from the form's while it waits for the admin's decision.
  const planShown = planState.kind === 'ready' && planState.decide;

  // When the plan's buttons go (sent, or Back), the keyboard goes on from the form's own Roam button.
  useEffect(() => {
    // A disabled button takes no focus: wait until the send has finished.
    if (!returnFocus || planShown || submitting) return;
    setReturnFocus(false);
    formRef.current?.querySelector<HTMLButtonElement>('button[type="submit"]')?.focus();
  }, [returnFocus, planShown, submitting]);

  const id = (name: string) => `${formId}-${name}`;

  // The plan and the job show beside the form on a wide screen (and below it on a narrow one), so that
  // what the admin chose and what it does are in view together.
  const outcomeShown = job !== null || planState.kind !== 'idle';
  return (
    <div className="grid items-start gap-8 xl:grid-cols-[minmax(0,1fr)_minmax(0,1fr)] xl:gap-6">
      <form
        ref={formRef}
        noValidate
        onSubmit={roam}
        aria-labelledby={`${formId}-title`}
        className="flex min-w-0 flex-col gap-6"
      >
        <h2 id={`${formId}-title`} className="sr-only">
          {t('roam.formTitle')}
        </h2>
        {notice}
        <div className="grid gap-4 md:grid-cols-2">
          <RouteSide side="origin" legend={t('roam.origin')} control={control} formId={formId} />
          <RouteSide side="target" legend={t('roam.target')} control={control} formId={formId} />
        </div>

        <Controller
          control={control}
          name="usernames"
          render={({ field, fieldState }) => (
            <fieldset className="flex min-w-0 flex-col gap-2 rounded-lg border border-slate-200 p-4 dark:border-slate-700">
              <legend className="px-1 text-base font-semibold">{t('roam.usernames')}</legend>
              <UsernameInput
                ref={(handle: UsernameInputHandle | null) => {
                  usernameInput.current = handle;
                  // A rule broken in the list takes the admin to the first name that breaks it (or to the
                  // list, for "at least one" and "too many"), not to the Roam button.
                  field.ref(
                    handle
                      ? {
                          focus: () => {
                            if (!handle.focusFirstProblem()) handle.focus();
                          },
                        }
                      : null,
                  );
                }}
                id={id('usernames')}
                value={field.value}
                onChange={field.onChange}
                error={fieldState.error?.message}
                maxUsernames={maxUsernames}
                originRegionId={originRegionId}
                originInstanceId={originInstanceId}
              />
              {fieldState.error?.message ? (
                <p id={`${id('usernames')}-error`} className="text-sm text-red-700 dark:text-red-400">
                  {fieldState.error.message}
                </p>
              ) : null}
            </fieldset>
          )}
        />

        {formError ? (
          <Alert tone="error" role="alert" title={formError.title}>
            {formError.message}
            {formError.link ? (
              <>
                {' '}
                <a href={formError.link.href} className="font-medium underline">
                  {formError.link.label}
                </a>
              </>
            ) : null}
          </Alert>
        ) : null}
        {Object.keys(errors).length > 0 && !formError ? (
          <p role="alert" className="text-sm text-red-700 dark:text-red-400">
            {t('roam.fixFields')}
          </p>
        ) : null}

        {planShown ? null : (
          <div>
            <Button type="submit" disabled={submitting || checking} className="px-5 py-2.5 text-base">
              {checking
                ? t('planPanel.checkingButton')
                : submitting
                  ? t('roam.submitting')
                  : t('roam.submit')}
            </Button>
          </div>
        )}
      </form>

      <div className="flex min-w-0 flex-col gap-4 xl:sticky xl:top-4 xl:max-h-[calc(100vh-2rem)] xl:overflow-y-auto">
        <PlanPanel
          state={planState}
          sending={submitting}
          onSend={confirm}
          onBack={back}
          onCheckAgain={() => check()}
        />
        {job ? (
          <div ref={jobRegion} tabIndex={-1} className="scroll-mt-4 rounded-lg focus:outline-none">
            <JobProgress key={job.id} jobId={job.id} initialJob={job.initial} canOperate />
          </div>
        ) : null}
        {outcomeShown ? null : (
          <>
            {runningJobs}
            <p className="hidden rounded-lg border border-dashed border-slate-300 p-4 text-sm text-slate-600 xl:block dark:border-slate-600 dark:text-slate-400">
              {t('roamPage.outcomeHint')}
            </p>
          </>
        )}
      </div>
    </div>
  );
}

/** One side of the route (origin or target): its region, then its SAG APP instance in that region. */
function RouteSide({
  side,
  legend,
  control,
  formId,
}: {
  side: 'origin' | 'target';
  legend: string;
  control: Control<RoamJobInput, unknown, RoamJob>;
  formId: string;
}) {
  const { t } = useI18n();
  const region = useController({ control, name: side === 'origin' ? 'originRegionId' : 'targetRegionId' });
  const instance = useController({
    control,
    name: side === 'origin' ? 'originInstanceId' : 'targetInstanceId',
  });
  const regionId = `${formId}-${side}-region`;
  const instanceId = `${formId}-${side}-instance`;
  const regionError = region.fieldState.error?.message;
  const instanceError = instance.fieldState.error?.message;
  // A field left empty or malformed takes focus when Roam finds it so (react-hook-form focuses the first).
  const focusRegion = region.field.ref;
  const focusInstance = instance.field.ref;
  useEffect(() => {
    focusRegion({ focus: () => document.getElementById(regionId)?.focus() });
    focusInstance({ focus: () => document.getElementById(instanceId)?.focus() });
  }, [focusRegion, focusInstance, regionId, instanceId]);
  return (
    <fieldset className="flex min-w-0 flex-col gap-4 rounded-lg border border-slate-200 p-4 dark:border-slate-700">
      <legend className="px-1 text-base font-semibold">{legend}</legend>
      <Field
        id={regionId}
        label={side === 'origin' ? t('roam.originRegion') : t('roam.targetRegion')}
        error={regionError}
      >
        <RegionSelect
          id={regionId}
          value={region.field.value}
          onBlur={region.field.onBlur}
          error={regionError}
          onChange={(value) => {
            region.field.onChange(value);
            // An instance belongs to one region: choosing another region clears it.
            instance.field.onChange('');
          }}
        />
      </Field>
      <Field
        id={instanceId}
        label={side === 'origin' ? t('roam.originInstance') : t('roam.targetInstance')}
        error={instanceError}
      >
        <InstancePicker
          id={instanceId}
          regionId={region.field.value}
          value={instance.field.value}
          onChange={instance.field.onChange}
          onBlur={instance.field.onBlur}
          error={instanceError}
        />
      </Field>
    </fieldset>
  );
}
