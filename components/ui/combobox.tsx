'use client';

import { type KeyboardEvent, type ReactNode, useId, useMemo, useState } from 'react';
import { useI18n } from '@/components/i18n/i18n-provider';
import { inputClassName } from './field';

export interface ComboboxOption {
  value: string;
  label: string;
  /** Secondary text shown under the label and searched too. */
  description?: string;
  disabled?: boolean;
}

/**
 * An editable combobox (WAI-ARIA 1.2 pattern with a list): type to filter, arrow keys to move, Enter to choose,
 * Escape to close. Free text stays allowed, so an admin can type a value the list does not offer.
 */
export function Combobox({
  id,
  value,
  onChange,
  onBlur,
  options,
  placeholder,
  disabled,
  status,
  describedBy,
  invalid,
  name,
}: {
  id: string;
  value: string;
  onChange: (value: string) => void;
  onBlur?: () => void;
  options: ComboboxOption[];
  placeholder?: string;
  disabled?: boolean;
  /** Shown inside the open list when there is nothing to choose: loading, empty or error text. */
  status?: ReactNode;
  describedBy?: string;
  invalid?: boolean;
  name?: string;
}) {
  const { t } = useI18n();
  const listboxId = useId();
  const [open, setOpen] = useState(false);
  const [activeIndex, setActiveIndex] = useState(-1);

  const visible = useMemo(() => {
    const query = value.trim().toLowerCase();
    if (!query || options.some((option) => option.value === value)) return options;
    return options.filter((option) =>
      [option.value, option.label, option.description ?? ''].some((text) =>
        text.toLowerCase().includes(query),
      ),
    );
  }, [options, value]);

  const choose = (option: ComboboxOption) => {
    if (option.disabled) return;
    onChange(option.value);
    setOpen(false);
    setActiveIndex(-1);
  };

  const move = (step: number) => {
    if (visible.length === 0) return;
    setOpen(true);
    setActiveIndex((current) => {
      let next = current;
      for (let tries = 0; tries < visible.length; tries += 1) {
        next = (next + step + visible.length) % visible.length;
        if (!visible[next]?.disabled) return next;
      }
      return current;
    });
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      if (!open) setOpen(true);
      move(1);
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      move(-1);
    } else if (event.key === 'Enter' && open && activeIndex >= 0) {
      event.preventDefault();
      const option = visible[activeIndex];
      if (option) choose(option);
    } else if (event.key === 'Escape' && open) {
      event.preventDefault();
      setOpen(false);
      setActiveIndex(-1);
    }
  };

  const active = open && activeIndex >= 0 ? visible[activeIndex] : undefined;
  const optionId = (index: number) => `${listboxId}-option-${index}`;

  return (
    <div className="relative">
      <input
        id={id}
        name={name}
        type="text"
        role="combobox"
        autoComplete="off"
        spellCheck={false}
        aria-autocomplete="list"
        aria-expanded={open}
        aria-controls={listboxId}
        aria-activedescendant={active ? optionId(activeIndex) : undefined}
        aria-describedby={describedBy}
        aria-invalid={invalid || undefined}
        className={`${inputClassName} font-mono`}
        value={value}
        placeholder={placeholder}
        disabled={disabled}
        onChange={(event) => {
          onChange(event.target.value);
          setOpen(true);
          setActiveIndex(-1);
        }}
        onFocus={() => setOpen(true)}
        onClick={() => setOpen(true)}
        onBlur={() => {
          setOpen(false);
          setActiveIndex(-1);
          onBlur?.();
        }}
        onKeyDown={onKeyDown}
      />
      <div
        id={listboxId}
        role="listbox"
        aria-label={t('combobox.suggestions')}
        hidden={!open}
        className="absolute z-20 mt-1 max-h-72 w-full overflow-auto rounded-md border border-slate-200 bg-white py-1 text-sm shadow-lg ring-1 ring-slate-900/5 dark:border-slate-700 dark:bg-slate-900 dark:ring-white/5"
      >
        {visible.map((option, index) => (
          <div
            key={option.value}
            id={optionId(index)}
            role="option"
            tabIndex={-1}
            aria-selected={option.value === value}
            aria-disabled={option.disabled || undefined}
            // Keep focus in the input: choosing happens on mouse down, before the input's blur.
            onMouseDown={(event) => {
              event.preventDefault();
              choose(option);
            }}
            className={`cursor-pointer px-3 py-1.5 hover:bg-slate-50 dark:hover:bg-slate-800 ${index === activeIndex ? 'bg-blue-50 shadow-[inset_2px_0_0_var(--color-blue-600)] dark:bg-blue-950 dark:shadow-[inset_2px_0_0_var(--color-blue-400)]' : ''} ${
              option.disabled ? 'cursor-not-allowed text-slate-400' : 'text-slate-900 dark:text-slate-100'
            }`}
          >
            <span className="block truncate font-medium">{option.label}</span>
            {option.description ? (
              <span className="block truncate text-xs text-slate-600 dark:text-slate-400">
                {option.description}
              </span>
            ) : null}
          </div>
        ))}
        {visible.length === 0 ? (
          <div className="px-3 py-2 text-slate-600 dark:text-slate-400">
            {status ?? t('combobox.noMatch')}
          </div>
        ) : null}
      </div>
    </div>
  );
}
