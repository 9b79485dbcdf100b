'use client';
// The category tree (frontends.md §3.2): add a root or a child, rename, delete; the service's 409/422
// reasons (sibling name taken, still has products or children, too deep) come back as toasts.
import { useState } from 'react';
import { ConfirmDialog, Dialog } from '@/components/Dialog';
import { useQuery, useZodForm } from '@/components/hooks';
import { toastError, toastOk } from '@/components/notify';
import { Button, Card, ErrorCard, Field, Input, PageHeader, Skeleton, errProps } from '@/components/ui';
import { categoryTree, createCategory, deleteCategory, renameCategory } from '@/lib/api/product';
import type { CategoryNode } from '@/lib/api/types';
import { categoryLabel } from '@/lib/format';
import { categorySchema } from '@/lib/validation/schemas';

const MAX_DEPTH = 5;
type Edit = { mode: 'add'; parent: CategoryNode | null } | { mode: 'rename'; node: CategoryNode };

export function CategoriesView() {
  const tree = useQuery('category-tree', () => categoryTree());
  const [edit, setEdit] = useState<Edit | null>(null);
  const [toDelete, setToDelete] = useState<CategoryNode | null>(null);
  const [deleting, setDeleting] = useState(false);
  const form = useZodForm(categorySchema, { name: '', parent_id: '' });

  const open = (e: Edit) => {
    form.reset({ name: e.mode === 'rename' ? e.node.name : '', parent_id: e.mode === 'add' ? e.parent?.id ?? '' : '' });
    setEdit(e);
  };
  const save = () =>
    form
      .submit(async (v) => {
        if (edit?.mode === 'rename') {
          await renameCategory(edit.node.id, v.name);
          toastOk(`Renamed to “${v.name}”`);
        } else {
          await createCategory(v.name, v.parent_id);
          toastOk(`Added “${v.name}”`);
        }
        setEdit(null);
        tree.reload();
      })
      .catch((err) => toastError(err));

  const renderNode = (n: CategoryNode, depth: number) => (
    <li key={n.id}>
      <div className="flex flex-wrap items-center justify-between gap-2 rounded px-2 py-1.5 hover:bg-slate-50">
        <span className="font-medium" title={n.name}>
          {categoryLabel(n.name)}
        </span>
        <span className="flex gap-1">
          {depth < MAX_DEPTH && (
            <Button size="sm" variant="ghost" onClick={() => open({ mode: 'add', parent: n })} aria-label={`Add a child of ${n.name}`}>
              Add child
            </Button>
          )}
          <Button size="sm" variant="ghost" onClick={() => open({ mode: 'rename', node: n })} aria-label={`Rename ${n.name}`}>
            Rename
          </Button>
          <Button size="sm" variant="ghost" className="text-red-700" onClick={() => setToDelete(n)} aria-label={`Delete ${n.name}`}>
            Delete
          </Button>
        </span>
      </div>
      {n.childs?.length > 0 && <ul className="ml-5 border-l border-slate-200 pl-2">{n.childs.map((c) => renderNode(c, depth + 1))}</ul>}
    </li>
  );

  return (
    <div>
      <PageHeader title="Categories" actions={<Button onClick={() => open({ mode: 'add', parent: null })}>Add root category</Button>} />
      <Card>
        {tree.error ? (
          <ErrorCard message={tree.error} onRetry={tree.reload} />
        ) : !tree.data ? (
          <div className="space-y-2">
            <Skeleton className="h-6 w-1/2" />
            <Skeleton className="h-6 w-1/3" />
            <Skeleton className="h-6 w-2/5" />
          </div>
        ) : tree.data.length === 0 ? (
          <p className="text-sm text-slate-500">No categories yet — add a root category.</p>
        ) : (
          <ul aria-label="Category tree">{tree.data.map((n) => renderNode(n, 1))}</ul>
        )}
      </Card>
      <Dialog
        open={!!edit}
        title={edit?.mode === 'rename' ? 'Rename category' : edit?.parent ? `Add a child of “${categoryLabel(edit.parent.name)}”` : 'Add root category'}
        onClose={() => setEdit(null)}
        footer={
          <>
            <Button variant="secondary" onClick={() => setEdit(null)}>
              Cancel
            </Button>
            <Button onClick={save} pending={form.pending}>
              Save
            </Button>
          </>
        }
      >
        <form
          onSubmit={(e) => {
            e.preventDefault();
            save();
          }}
        >
          <Field id="cat-name" label="Name" error={form.errors.name}>
            <Input {...errProps('cat-name', form.errors.name)} {...form.bind('name')} />
          </Field>
        </form>
      </Dialog>
      <ConfirmDialog
        open={!!toDelete}
        title="Delete category"
        message={`Delete “${toDelete ? categoryLabel(toDelete.name) : ''}”? Only an empty category (no products, no children) can be deleted.`}
        confirmLabel="Delete"
        danger
        pending={deleting}
        onCancel={() => setToDelete(null)}
        onConfirm={async () => {
          if (!toDelete) return;
          setDeleting(true);
          try {
            await deleteCategory(toDelete.id);
            toastOk('Category deleted');
            setToDelete(null);
            tree.reload();
          } catch (err) {
            toastError(err);
          } finally {
            setDeleting(false);
          }
        }}
      />
    </div>
  );
}
