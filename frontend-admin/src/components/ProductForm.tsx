'use client';
// Create and edit a product (frontends.md §3.4): multipart with image preview and `upload-progress`.
// Quantity is sent on create only; the image on edit only when replaced.
import { useRouter } from 'next/navigation';
import { useEffect, useMemo, useState } from 'react';
import { CategorySelect } from './CategorySelect';
import { useZodForm } from './hooks';
import { toastError, toastOk } from './notify';
import { useClientConfig } from './SessionProvider';
import { Button, Card, Field, Input, ProductThumb, Textarea, errProps } from './ui';
import { useCategories } from './useCategories';
import { createProduct, updateProduct } from '@/lib/api/product';
import type { Product } from '@/lib/api/types';
import { checkProductImage, formatMiB, productCreateSchema, productSchema } from '@/lib/validation/schemas';

export function ProductForm({ product }: { product?: Product }) {
  const router = useRouter();
  const editing = !!product;
  const { productImageMaxBytes } = useClientConfig();
  const cats = useCategories();
  const form = useZodForm(editing ? productSchema : productCreateSchema, {
    name: product?.name ?? '',
    description: product?.description ?? '',
    price: product ? String(product.price) : '',
    category_id: product?.category_id ?? '',
    ...(editing ? {} : { quantity: '0' }),
  });
  const [file, setFile] = useState<File | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const preview = useMemo(() => (file ? URL.createObjectURL(file) : null), [file]);
  const [progress, setProgress] = useState<number | null>(null);

  useEffect(() => () => {
    if (preview) URL.revokeObjectURL(preview);
  }, [preview]);

  const onSubmit = (e: React.FormEvent) => {
    e.preventDefault();
    const imgErr = checkProductImage(file, productImageMaxBytes, !editing);
    setFileError(imgErr);
    form
      .submit(
        async (v) => {
          const fd = new FormData();
          fd.set('name', v.name);
          fd.set('description', v.description);
          fd.set('price', v.price);
          fd.set('category_id', v.category_id);
          if (!editing && 'quantity' in v) fd.set('quantity', String(v.quantity));
          if (file) fd.set('image', file, file.name);
          setProgress(0);
          try {
            if (editing) await updateProduct(product.id, fd, setProgress);
            else await createProduct(fd, setProgress);
          } finally {
            setProgress(null);
          }
          toastOk(editing ? `Saved “${v.name}”` : `Created “${v.name}”`);
          router.push('/products');
          router.refresh();
        },
        () => ({ image: imgErr ?? '' }),
      )
      .catch((err) => toastError(err));
  };

  return (
    <form onSubmit={onSubmit} noValidate className="grid gap-4 lg:grid-cols-[1fr_320px]">
      <Card>
        <div className="space-y-4">
          <Field id="p-name" label="Name" error={form.errors.name}>
            <Input {...errProps('p-name', form.errors.name)} {...form.bind('name')} />
          </Field>
          <Field id="p-description" label="Description" error={form.errors.description}>
            <Textarea rows={5} {...errProps('p-description', form.errors.description)} {...form.bind('description')} />
          </Field>
          <div className="grid gap-4 sm:grid-cols-2">
            <Field id="p-price" label="Price (USD)" error={form.errors.price}>
              <Input inputMode="decimal" {...errProps('p-price', form.errors.price)} {...form.bind('price')} />
            </Field>
            {!editing && (
              <Field id="p-quantity" label="Initial quantity" error={form.errors.quantity} hint="Lands in the main warehouse">
                <Input inputMode="numeric" {...errProps('p-quantity', form.errors.quantity)} {...form.bind('quantity')} />
              </Field>
            )}
          </div>
          <Field id="p-category" label="Category" error={form.errors.category_id}>
            <CategorySelect categories={cats.list} emptyLabel={cats.loading ? 'Loading categories…' : 'Select a category'} {...errProps('p-category', form.errors.category_id)} {...form.bind('category_id')} />
          </Field>
        </div>
      </Card>
      <Card title="Image">
        <div className="space-y-3">
          <div className="flex justify-center">
            {preview ? (
              // eslint-disable-next-line @next/next/no-img-element -- a local preview (blob URL)
              <img src={preview} alt="Preview of the new image" width={200} height={200} className="h-48 w-48 rounded object-cover" />
            ) : (
              <ProductThumb src={product?.image_url} name={product?.name ?? 'No image yet'} size={192} />
            )}
          </div>
          <Field id="p-image" label={editing ? 'Replace image (optional)' : 'Image'} error={fileError ?? undefined} hint={`JPEG, PNG, WebP or GIF, up to ${formatMiB(productImageMaxBytes)}`}>
            <Input
              type="file"
              accept="image/jpeg,image/png,image/webp,image/gif"
              className="h-auto py-1.5"
              {...errProps('p-image', fileError ?? undefined)}
              onChange={(e) => {
                const f = e.target.files?.[0] ?? null;
                setFile(f);
                setFileError(f ? checkProductImage(f, productImageMaxBytes, !editing) : null);
              }}
            />
          </Field>
          {progress !== null && (
            <div>
              <progress data-testid="upload-progress" value={progress} max={100} className="w-full" aria-label="Upload progress" />
              <p className="text-xs text-slate-500">{progress}%</p>
            </div>
          )}
        </div>
      </Card>
      <div className="flex gap-2 lg:col-span-2">
        <Button type="submit" pending={form.pending}>
          {editing ? 'Save changes' : 'Create product'}
        </Button>
        <Button variant="secondary" onClick={() => router.push('/products')} disabled={form.pending}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
