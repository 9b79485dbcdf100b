import { WarehousesView } from './WarehousesView';

export const dynamic = 'force-dynamic';

export default function WarehousesPage() {
  return <WarehousesView />;
}
