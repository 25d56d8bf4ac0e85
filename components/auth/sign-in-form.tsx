'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useState, useTransition } from 'react';
import { useForm } from 'react-hook-form';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Field, fieldControlProps, inputClassName } from '@/components/ui/field';
import { signInAction } from '@/lib/actions/auth/sign-in';
import { signInSchema } from '@/lib/auth/schema';

interface SignInValues {
  email: string;
  password: string;
}

export function SignInForm({ returnTo }: { returnTo: string }) {
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const { register, handleSubmit, formState } = useForm<SignInValues>({
    resolver: zodResolver(signInSchema),
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
    <form noValidate onSubmit={onSubmit} className="flex flex-col gap-4" aria-label="Sign in">
      <Field id="email" label="E-mail" error={emailError}>
        <input
          {...register('email')}
          {...fieldControlProps('email', emailError)}
          type="email"
          autoComplete="username"
          className={inputClassName}
        />
      </Field>
      <Field id="password" label="Password" error={passwordError}>
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
      <Button type="submit" disabled={pending}>
        {pending ? 'Signing in…' : 'Sign in'}
      </Button>
    </form>
  );
}
