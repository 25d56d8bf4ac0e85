import type { ButtonHTMLAttributes } from 'react';
import { focusRingClassName } from './styles';

export type ButtonVariant = 'primary' | 'secondary' | 'ghost' | 'danger';
export type ButtonSize = 'sm' | 'md';

/**
 * Primary: the one action a screen is for (Roam, Sign in). Secondary: the others beside it. Ghost: a light action
 * inside a table or a summary. Danger: an action that removes or disables something. Disabled buttons keep
 * readable text and lose their hover.
 */
const variants: Record<ButtonVariant, string> = {
  primary:
    'border border-blue-700 bg-blue-700 text-white shadow-xs hover:border-blue-800 hover:bg-blue-800 disabled:border-blue-300 disabled:bg-blue-300 dark:border-blue-500 dark:bg-blue-600 dark:hover:border-blue-700 dark:hover:bg-blue-700 dark:disabled:border-blue-900 dark:disabled:bg-blue-900 dark:disabled:text-blue-200',
  secondary:
    'border border-slate-300 bg-white text-slate-900 shadow-xs hover:bg-slate-50 disabled:bg-slate-50 disabled:text-slate-500 dark:border-slate-600 dark:bg-slate-800 dark:text-slate-100 dark:hover:bg-slate-700 dark:disabled:bg-slate-900 dark:disabled:text-slate-400',
  ghost:
    'border border-transparent text-blue-700 hover:bg-blue-50 disabled:text-slate-500 dark:text-blue-300 dark:hover:bg-slate-800 dark:disabled:text-slate-400',
  danger:
    'border border-red-700 bg-red-700 text-white shadow-xs hover:border-red-800 hover:bg-red-800 disabled:border-red-300 disabled:bg-red-300 dark:border-red-600 dark:bg-red-700 dark:hover:bg-red-600 dark:disabled:border-red-950 dark:disabled:bg-red-950 dark:disabled:text-red-200',
};

const sizes: Record<ButtonSize, string> = {
  sm: 'min-h-8 px-2.5 py-1 text-xs',
  md: 'min-h-9 px-3 py-1.5 text-sm',
};

/**
 * The classes of a button, for a link or a summary that should look like one (an export link, a filter's
 * submit): the same variants and sizes as `Button`.
 */
export function buttonClassName(variant: ButtonVariant = 'primary', size: ButtonSize = 'md'): string {
  return `inline-flex items-center justify-center gap-1.5 rounded-md text-center font-medium transition-colors disabled:cursor-not-allowed ${focusRingClassName} ${sizes[size]} ${variants[variant]}`;
}

export function Button({
  variant = 'primary',
  size = 'md',
  className = '',
  type = 'button',
  ...props
}: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: ButtonVariant; size?: ButtonSize }) {
  return <button type={type} className={`${buttonClassName(variant, size)} ${className}`} {...props} />;
}
