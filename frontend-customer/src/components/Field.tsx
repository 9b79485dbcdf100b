'use client';
// Labelled input with the error under it (aria-describedby), frontends.md §1.5.
import { useId } from 'react';

type Props = React.InputHTMLAttributes<HTMLInputElement> & { label: string; error?: string; hint?: React.ReactNode; ref?: React.Ref<HTMLInputElement> };

export function Field({ label, error, hint, id, className = '', ...rest }: Props) {
  const auto = useId();
  const inputId = id ?? auto;
  const errId = `${inputId}-error`;
  const hintId = `${inputId}-hint`;
  const describedBy = [error ? errId : null, hint ? hintId : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className={className}>
      <label htmlFor={inputId} className="block text-sm font-medium text-gray-800">
        {label}
      </label>
      <input
        id={inputId}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        className={`mt-1 block w-full rounded-md border px-3 py-2 text-sm shadow-sm focus:outline-none focus:ring-2 focus:ring-gray-900 read-only:bg-gray-100 ${error ? 'border-red-500' : 'border-gray-300'}`}
        {...rest}
      />
      {hint ? (
        <div id={hintId} className="mt-1 text-xs text-gray-600">
          {hint}
        </div>
      ) : null}
      {error ? (
        <p id={errId} className="mt-1 text-sm text-red-600">
          {error}
        </p>
      ) : null}
    </div>
  );
}
