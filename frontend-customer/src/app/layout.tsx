import type { Metadata, Viewport } from 'next';
import { Toaster } from 'sonner';
import { CartDrawer } from '@/components/CartDrawer';
import { Footer } from '@/components/Footer';
import { Header } from '@/components/Header';
import { SessionProvider } from '@/components/SessionProvider';
import { currentUser } from '@/lib/api/server';
import { paymentMaxUploadBytes } from '@/lib/config';
import './globals.css';

export const metadata: Metadata = { title: { default: 'Eshop', template: '%s · Eshop' }, description: 'Cars and motorcycles for your lifestyle' };
export const viewport: Viewport = { width: 'device-width', initialScale: 1 };

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  // Reading the session cookie makes every page dynamic (frontends.md §1.4).
  const user = await currentUser();
  const clientUser = user ? { username: user.username, name: user.name, role: user.role } : null;
  return (
    <html lang="en">
      <body className="flex min-h-screen flex-col">
        <SessionProvider user={clientUser} maxUploadBytes={paymentMaxUploadBytes()}>
          <Header />
          <main className="mx-auto w-full max-w-6xl flex-1 px-4 py-6">{children}</main>
          <Footer />
          <CartDrawer />
          <Toaster position="bottom-right" richColors closeButton />
        </SessionProvider>
      </body>
    </html>
  );
}
