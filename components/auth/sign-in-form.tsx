'use client';

import { useMemo, useState, useTransition } from 'react';
import { useForm } from 'react-hook-form';
import { useI18n } from '@/components/i18n/i18n-provider';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Field, fieldControlProps, inputClassName } from '@/components/ui/field';
import { signInAction } from '@/lib/actions/auth/sign-in';
import { createAuthSchemas } from '@/lib/auth/schema';
import { schemaResolver } from '@/lib/forms/schema-resolver';

interface SignInValues {
  email: string;
  password: string;
}

export function SignInForm({ returnTo }: { returnTo: string }) {
  const { t } = useI18n();
  const schema = useMemo(() => createAuthSchemas(t).signInSchema, [t]);
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const { register, handleSubmit, formState } = useForm<SignInValues>({
    resolver: schemaResolver(schema),
    defaultValues: { email: '', password: '' },
  });
  const onSubmit = handleSubmit((values) => {
    setError(null);
    startTransition(async () => {
      // On success the action redirects; it only returns on failure.
      const result = await signInAction(values, returnTo);
      if (result && !result.ok) setError(result.formError);
    });
  });
  const emailError = formState.errors.email?.message;
  const passwordError = formState.errors.password?.message;
  return (
    <form noValidate onSubmit={onSubmit} className="flex flex-col gap-4" aria-label={t('signIn.title')}>
      <Field id="email" label={t('signIn.email')} error={emailError}>
        <input
          {...register('email')}
          {...fieldControlProps('email', emailError)}
          type="email"
          autoComplete="username"
          className={inputClassName}
        />
      </Field>
      <Field id="password" label={t('signIn.password')} error={passwordError}>
        <input
          {...register('password')}
          {...fieldControlProps('password', passwordError)}
          type="password"
          autoComplete="current-password"
          className={inputClassName}
        />
      </Field>
      {error ? (
        <Alert tone="error" role="alert">
          {error}
        </Alert>
      ) : null}
      <Button type="submit" disabled={pending} className="w-full">
        {pending ? t('signIn.submitting') : t('signIn.submit')}
      </Button>
    </form>
  );
}
