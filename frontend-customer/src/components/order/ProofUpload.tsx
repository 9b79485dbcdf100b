'use client';
// Proof upload: type and size checked before sending, preview, progress (frontends.md §2.2, §2.3).
import { useEffect, useId, useState } from 'react';
import { toast } from 'sonner';
import { PROOF_UPLOAD_PATH } from '@/lib/api/payment';
import { ApiError, userMessage } from '@/lib/api/envelope';
import { uploadForm } from '@/lib/upload';
import { PROOF_ACCEPT, proofFileError } from '@/lib/validation/schemas';
import { useSession } from '../SessionProvider';
import { buttonClass, Spinner } from '../ui';

export function ProofUpload({ orderId, onUploaded }: { orderId: string; onUploaded: () => Promise<void> }) {
  const { maxUploadBytes } = useSession();
  const inputId = useId();
  const [file, setFile] = useState<File | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [preview, setPreview] = useState<string | null>(null);

  useEffect(() => {
    if (!file || !file.type.startsWith('image/')) return;
    const url = URL.createObjectURL(file);
    // eslint-disable-next-line react-hooks/set-state-in-effect -- the object URL must be revoked with the file
    setPreview(url);
    return () => {
      URL.revokeObjectURL(url);
      setPreview(null);
    };
  }, [file]);

  const pick = (f: File | null) => {
    setFile(f);
    setError(f ? proofFileError(f, maxUploadBytes) : null);
  };

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const problem = proofFileError(file, maxUploadBytes);
    if (problem || !file) {
      setError(problem);
      return;
    }
    setProgress(0);
    try {
      await uploadForm(
        PROOF_UPLOAD_PATH,
        () => {
          const form = new FormData();
          form.set('orderId', orderId);
          form.set('note', '');
          form.set('image', file, file.name);
          return form;
        },
        setProgress,
      );
      toast.success('Payment proof uploaded');
      setFile(null);
      await onUploaded();
    } catch (err) {
      toast.error(err instanceof ApiError ? userMessage(err) : 'The upload failed');
    } finally {
      setProgress(null);
    }
  };

  const errId = `${inputId}-error`;
  return (
    <form onSubmit={submit} noValidate className="space-y-3">
      <div>
        <label htmlFor={inputId} className="block text-sm font-medium">
          Payment proof (JPEG, PNG, WebP or PDF, up to {Math.round(maxUploadBytes / 1024 / 1024)} MiB)
        </label>
        <input
          id={inputId}
          type="file"
          accept={PROOF_ACCEPT}
          aria-describedby={error ? errId : undefined}
          aria-invalid={error ? true : undefined}
          ref={(el) => {
            // a file chosen before hydration is in the input but never reached the state
            if (!el || el.dataset.hydrated) return;
            el.dataset.hydrated = '1';
            const f = el.files?.[0];
            if (f) pick(f);
          }}
          onChange={(e) => pick(e.target.files?.[0] ?? null)}
          className="mt-1 block w-full text-sm"
        />
        {error ? (
          <p id={errId} role="alert" className="mt-1 text-sm text-red-600">
            {error}
          </p>
        ) : null}
      </div>
      {preview ? (
        // eslint-disable-next-line @next/next/no-img-element -- a local object URL
        <img src={preview} alt="Preview of the selected proof" width={160} height={120} className="h-28 w-auto rounded border" />
      ) : file ? (
        <p className="text-sm text-gray-700">{file.name}</p>
      ) : null}
      {progress !== null ? (
        <div>
          <progress data-testid="upload-progress" aria-label="Upload progress" max={100} value={progress} className="w-full" />
          <span className="text-xs text-gray-600">{progress}%</span>
        </div>
      ) : null}
      <button type="submit" className={buttonClass.primary} disabled={progress !== null || !file || Boolean(error)}>
        {progress !== null ? <Spinner label="Uploading" /> : null}
        Upload
      </button>
    </form>
  );
}
