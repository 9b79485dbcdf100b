import { CategoriesView } from './CategoriesView';

export const dynamic = 'force-dynamic';

export default function CategoriesPage() {
  return <CategoriesView />;
}
