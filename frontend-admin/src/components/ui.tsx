'use client';
// Small shadcn-style building blocks of the console: buttons, inputs, badges, cards, skeletons, ids.
import { forwardRef, useState, useSyncExternalStore, type ButtonHTMLAttributes, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes } from 'react';
import { toast } from 'sonner';
import { STATUS_LABELS, shortId, statusTone } from '@/lib/format';

const noop = () => () => {};
/** False during the server render and hydration, true afterwards. */
export const useHydrated = () => useSyncExternalStore(noop, () => true, () => false);

const cx = (...c: (string | false | null | undefined)[]) => c.filter(Boolean).join(' ');

type Variant = 'primary' | 'secondary' | 'danger' | 'ghost';
const VARIANTS: Record<Variant, string> = {
  primary: 'bg-slate-900 text-white hover:bg-slate-700 disabled:bg-slate-400',
  secondary: 'border border-slate-300 bg-white text-slate-900 hover:bg-slate-100 disabled:text-slate-400',
  danger: 'bg-red-600 text-white hover:bg-red-500 disabled:bg-red-300',
  ghost: 'text-slate-700 hover:bg-slate-100 disabled:text-slate-400',
};

export const Button = forwardRef<HTMLButtonElement, ButtonHTMLAttributes<HTMLButtonElement> & { variant?: Variant; pending?: boolean; size?: 'sm' | 'md' }>(
  function Button({ variant = 'primary', pending, size = 'md', className, children, disabled, type, ...rest }, ref) {
    // a submit button waits for hydration: a native submit would bypass the form's handler
    const hydrated = useHydrated();
    return (
      <button
        ref={ref}
        type={type ?? 'button'}
        disabled={disabled || pending || (type === 'submit' && !hydrated)}
        aria-busy={pending || undefined}
        className={cx(
          'inline-flex items-center justify-center gap-2 rounded-md font-medium transition-colors focus:outline-none focus-visible:ring-2 focus-visible:ring-slate-500 disabled:cursor-not-allowed',
          size === 'sm' ? 'h-8 px-3 text-sm' : 'h-10 px-4 text-sm',
          VARIANTS[variant],
          className,
        )}
        {...rest}
      >
        {pending && <Spinner />}
        {children}
      </button>
    );
  },
);

export function Spinner({ label }: { label?: string }) {
  return (
    <span role={label ? 'status' : undefined} aria-label={label} className="inline-block h-4 w-4 animate-spin rounded-full border-2 border-current border-t-transparent" />
  );
}

const inputClass =
  'h-10 w-full rounded-md border border-slate-300 bg-white px-3 text-sm text-slate-900 placeholder:text-slate-400 focus:border-slate-500 focus:outline-none focus:ring-1 focus:ring-slate-500 aria-[invalid=true]:border-red-500';

export const Input = forwardRef<HTMLInputElement, InputHTMLAttributes<HTMLInputElement>>(function Input({ className, ...rest }, ref) {
  return <input ref={ref} className={cx(inputClass, className)} {...rest} />;
});

export const Select = forwardRef<HTMLSelectElement, SelectHTMLAttributes<HTMLSelectElement>>(function Select({ className, ...rest }, ref) {
  return <select ref={ref} className={cx(inputClass, 'pr-8', className)} {...rest} />;
});

export const Textarea = forwardRef<HTMLTextAreaElement, TextareaHTMLAttributes<HTMLTextAreaElement>>(function Textarea({ className, ...rest }, ref) {
  return <textarea ref={ref} className={cx(inputClass, 'h-auto min-h-20 py-2', className)} {...rest} />;
});

/** A labelled form field with its error under it (`aria-describedby`). */
export function Field({ id, label, error, hint, children }: { id: string; label: string; error?: string; hint?: ReactNode; children: ReactNode }) {
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium text-slate-700">
        {label}
      </label>
      {children}
      {hint && !error && <p className="text-xs text-slate-500">{hint}</p>}
      {error && (
        <p id={`${id}-error`} className="text-xs text-red-600">
          {error}
        </p>
      )}
    </div>
  );
}

/** Props that tie an input to its Field error. */
export const errProps = (id: string, error?: string) => ({ id, 'aria-invalid': error ? true : undefined, 'aria-describedby': error ? `${id}-error` : undefined });

const TONES = {
  grey: 'bg-slate-100 text-slate-700 ring-slate-300',
  blue: 'bg-blue-50 text-blue-700 ring-blue-300',
  amber: 'bg-amber-50 text-amber-800 ring-amber-300',
  green: 'bg-green-50 text-green-700 ring-green-300',
  red: 'bg-red-50 text-red-700 ring-red-300',
} as const;

export function Badge({ tone = 'grey', children, testId, title }: { tone?: keyof typeof TONES; children: ReactNode; testId?: string; title?: string }) {
  return (
    <span data-testid={testId} title={title} className={cx('inline-flex items-center whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset', TONES[tone])}>
      {children}
    </span>
  );
}

/** Order or payment status badge; the raw status is the text tests read. */
export function StatusBadge({ status, testId }: { status: string; testId?: string }) {
  if (!status) return <span className="text-xs text-slate-400">—</span>;
  return (
    <Badge tone={statusTone(status)} testId={testId} title={STATUS_LABELS[status] ?? status}>
      {status}
    </Badge>
  );
}

export function Card({ title, children, className, actions }: { title?: ReactNode; children: ReactNode; className?: string; actions?: ReactNode }) {
  return (
    <section className={cx('rounded-lg border border-slate-200 bg-white p-4 shadow-sm', className)}>
      {(title || actions) && (
        <div className="mb-3 flex items-center justify-between gap-2">
          {title && <h2 className="text-sm font-semibold text-slate-900">{title}</h2>}
          {actions}
        </div>
      )}
      {children}
    </section>
  );
}

export function Skeleton({ className }: { className?: string }) {
  return <div aria-hidden className={cx('animate-pulse rounded bg-slate-200', className)} />;
}

/** First 8 characters of an id, the full id in `title`, and a copy button. */
export function IdCell({ id }: { id: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <span className="inline-flex items-center gap-1 font-mono text-xs">
      <span title={id}>{shortId(id)}</span>
      <button
        type="button"
        aria-label={`Copy id ${id}`}
        className="rounded px-1 text-slate-400 hover:bg-slate-100 hover:text-slate-700"
        onClick={() => {
          navigator.clipboard?.writeText(id).then(
            () => {
              setCopied(true);
              toast.success('Id copied');
              setTimeout(() => setCopied(false), 1500);
            },
            () => toast.error('Could not copy'),
          );
        }}
      >
        {copied ? '✓' : '⧉'}
      </button>
    </span>
  );
}

export function ErrorCard({ message, onRetry }: { message: string; onRetry?: () => void }) {
  return (
    <div role="alert" className="rounded-lg border border-red-200 bg-red-50 p-4 text-sm text-red-800">
      <p>{message}</p>
      {onRetry && (
        <Button variant="secondary" size="sm" className="mt-2" onClick={onRetry}>
          Retry
        </Button>
      )}
    </div>
  );
}

export function PageHeader({ title, actions, children }: { title: string; actions?: ReactNode; children?: ReactNode }) {
  return (
    <div className="mb-4 flex flex-wrap items-start justify-between gap-3">
      <div>
        <h1 className="text-xl font-semibold text-slate-900">{title}</h1>
        {children}
      </div>
      {actions && <div className="flex flex-wrap gap-2">{actions}</div>}
    </div>
  );
}

export function ProductThumb({ src, name, size = 48 }: { src?: string | null; name: string; size?: number }) {
  const [failed, setFailed] = useState(false);
  if (!src || failed) {
    return (
      <div role="img" aria-label={name} style={{ width: size, height: size }} className="flex items-center justify-center rounded bg-slate-100 text-[10px] text-slate-400">
        No image
      </div>
    );
  }
  return (
    // eslint-disable-next-line @next/next/no-img-element -- images come from the product service / CDN as they are
    <img src={src} alt={name} width={size} height={size} loading="lazy" onError={() => setFailed(true)} style={{ width: size, height: size }} className="rounded object-cover" />
  );
}
