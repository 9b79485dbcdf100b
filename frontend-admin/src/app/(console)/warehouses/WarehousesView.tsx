'use client';
// Warehouses (frontends.md §3.2): list for every console role; add, edit, make main and delete for
// admins and managers. 409s ("still holds stock", "main warehouse") come back as toasts.
import { useState } from 'react';
import { ConfirmDialog, Dialog } from '@/components/Dialog';
import { useZodForm } from '@/components/hooks';
import { toastError, toastOk } from '@/components/notify';
import { useSession } from '@/components/SessionProvider';
import { Table, TableState, Td } from '@/components/Table';
import { Badge, Button, Field, Input, PageHeader, errProps } from '@/components/ui';
import { useWarehouses } from '@/components/useWarehouses';
import type { Warehouse } from '@/lib/api/types';
import { createWarehouse, deleteWarehouse, makeMainWarehouse, updateWarehouse } from '@/lib/api/warehouse';
import { can } from '@/lib/roles';
import { warehouseSchema } from '@/lib/validation/schemas';

const EMPTY = { name: '', street: '', city: '', state: '', zip_code: '' };
const FIELDS = [
  ['name', 'Name'],
  ['street', 'Street'],
  ['city', 'City'],
  ['state', 'State'],
  ['zip_code', 'Zip code'],
] as const;

export function WarehousesView() {
  const user = useSession();
  const wh = useWarehouses();
  const canWrite = can(user?.role, 'warehouses.write');
  const [editing, setEditing] = useState<Warehouse | 'new' | null>(null);
  const [confirm, setConfirm] = useState<{ kind: 'main' | 'delete'; w: Warehouse } | null>(null);
  const [busy, setBusy] = useState(false);
  const form = useZodForm(warehouseSchema, EMPTY);

  const openEdit = (w: Warehouse | 'new') => {
    form.reset(w === 'new' ? EMPTY : { name: w.name, street: w.street, city: w.city, state: w.state, zip_code: w.zip_code });
    setEditing(w);
  };
  const save = () =>
    form
      .submit(async (v) => {
        if (editing === 'new') {
          await createWarehouse(v);
          toastOk(`Added “${v.name}”`);
        } else if (editing) {
          await updateWarehouse(editing.id, v);
          toastOk(`Saved “${v.name}”`);
        }
        setEditing(null);
        wh.reload();
      })
      .catch((err) => toastError(err));

  return (
    <div>
      <PageHeader title="Warehouses" actions={canWrite && <Button onClick={() => openEdit('new')}>Add warehouse</Button>} />
      <Table label="Warehouses" head={['Name', 'Street', 'City', 'State', 'Zip', '', ...(canWrite ? ['Actions'] : [])]}>
        <TableState cols={canWrite ? 7 : 6} loading={wh.loading} error={wh.error} empty={!wh.list.length} onRetry={wh.reload} emptyText="No warehouses" />
        {!wh.loading &&
          !wh.error &&
          wh.list.map((w) => (
            <tr key={w.id} data-testid="warehouse-row">
              <Td className="font-medium">{w.name}</Td>
              <Td>{w.street}</Td>
              <Td>{w.city}</Td>
              <Td>{w.state}</Td>
              <Td>{w.zip_code}</Td>
              <Td>{w.is_main_warehouse && <Badge tone="blue">Main</Badge>}</Td>
              {canWrite && (
                <Td>
                  <div className="flex gap-1">
                    <Button size="sm" variant="ghost" onClick={() => openEdit(w)}>
                      Edit
                    </Button>
                    {!w.is_main_warehouse && (
                      <>
                        <Button size="sm" variant="ghost" onClick={() => setConfirm({ kind: 'main', w })}>
                          Make main
                        </Button>
                        <Button size="sm" variant="ghost" className="text-red-700" onClick={() => setConfirm({ kind: 'delete', w })}>
                          Delete
                        </Button>
                      </>
                    )}
                  </div>
                </Td>
              )}
            </tr>
          ))}
      </Table>
      <Dialog
        open={!!editing}
        title={editing === 'new' ? 'Add warehouse' : 'Edit warehouse'}
        onClose={() => setEditing(null)}
        footer={
          <>
            <Button variant="secondary" onClick={() => setEditing(null)}>
              Cancel
            </Button>
            <Button onClick={save} pending={form.pending}>
              Save
            </Button>
          </>
        }
      >
        <form
          noValidate
          className="space-y-3"
          onSubmit={(e) => {
            e.preventDefault();
            save();
          }}
        >
          {FIELDS.map(([k, label]) => (
            <Field key={k} id={`wh-${k}`} label={label} error={form.errors[k]}>
              <Input {...errProps(`wh-${k}`, form.errors[k])} {...form.bind(k)} inputMode={k === 'zip_code' ? 'numeric' : undefined} />
            </Field>
          ))}
          <button type="submit" hidden />
        </form>
      </Dialog>
      <ConfirmDialog
        open={!!confirm}
        title={confirm?.kind === 'main' ? 'Make main warehouse' : 'Delete warehouse'}
        message={
          confirm?.kind === 'main'
            ? `Make “${confirm.w.name}” the main warehouse? New products land there.`
            : `Delete “${confirm?.w.name ?? ''}”? Only a warehouse without stock can be deleted.`
        }
        confirmLabel={confirm?.kind === 'main' ? 'Make main' : 'Delete'}
        danger={confirm?.kind === 'delete'}
        pending={busy}
        onCancel={() => setConfirm(null)}
        onConfirm={async () => {
          if (!confirm) return;
          setBusy(true);
          try {
            if (confirm.kind === 'main') {
              await makeMainWarehouse(confirm.w.id);
              toastOk(`“${confirm.w.name}” is now the main warehouse`);
            } else {
              await deleteWarehouse(confirm.w.id);
              toastOk(`Deleted “${confirm.w.name}”`);
            }
            setConfirm(null);
            wh.reload();
          } catch (err) {
            toastError(err);
          } finally {
            setBusy(false);
          }
        }}
      />
    </div>
  );
}
