'use client';
// Modal dialog on the native <dialog> (showModal makes the rest inert and keeps focus inside).
import { useEffect, useId, useRef } from 'react';
import { buttonClass, Spinner } from './ui';

export function Dialog({ open, title, onClose, children, className = '' }: { open: boolean; title: string; onClose: () => void; children: React.ReactNode; className?: string }) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      onClose={onClose}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
      className={`m-auto w-[min(32rem,calc(100vw-2rem))] rounded-lg p-0 shadow-xl backdrop:bg-black/40 ${className}`}
    >
      {open ? (
        <div className="p-5">
          <h2 id={titleId} className="text-lg font-semibold">
            {title}
          </h2>
          <div className="mt-3">{children}</div>
        </div>
      ) : null}
    </dialog>
  );
}

export function ConfirmDialog({
  open,
  title,
  body,
  confirmLabel,
  cancelLabel = 'Cancel',
  danger = false,
  pending = false,
  onConfirm,
  onClose,
}: {
  open: boolean;
  title: string;
  body: React.ReactNode;
  confirmLabel: string;
  cancelLabel?: string;
  danger?: boolean;
  pending?: boolean;
  onConfirm: () => void;
  onClose: () => void;
}) {
  return (
    <Dialog open={open} title={title} onClose={onClose}>
      <div className="text-sm text-gray-700">{body}</div>
      <div className="mt-5 flex justify-end gap-2">
        {/* Cancel first, so it has the initial focus. */}
        <button type="button" autoFocus className={buttonClass.secondary} onClick={onClose} disabled={pending}>
          {cancelLabel}
        </button>
        <button type="button" className={danger ? buttonClass.danger : buttonClass.primary} onClick={onConfirm} disabled={pending}>
          {pending ? <Spinner label="Working" /> : null}
          {confirmLabel}
        </button>
      </div>
    </Dialog>
  );
}
