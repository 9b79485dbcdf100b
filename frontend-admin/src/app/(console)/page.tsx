import { Dashboard } from './Dashboard';

export const dynamic = 'force-dynamic';

export default function DashboardPage() {
  return <Dashboard />;
}
