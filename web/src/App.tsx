// Providers (server state, router, session), the sign-in gate, and the signed-in app loaded on
// demand. Nothing here, nor on the sign-in page, uses Ant Design: its theme and locale are set
// in SignedInApp.tsx, so the first page loads none of it.
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { lazy, Suspense } from 'react';
import { createBrowserRouter, Navigate, RouterProvider, useLocation } from 'react-router-dom';
import { getToken } from './api/client';
import { ApiError, isNetworkError } from './api/errors';
import { SessionProvider, useSession } from './auth/session';
import { LoginPage } from './auth/LoginPage';
import { BootError, FullPageSpinner } from './components/BootStates';
import { UpdateBanner } from './components/UpdateBanner';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // Client errors will not change by asking again; 5xx may. A network failure is not
      // retried here: the server is then probed (lib/connectivity.ts), and every screen loads
      // again the moment it answers.
      retry: (count, error: unknown) => count < 2 && !isNetworkError(error) && error instanceof ApiError && error.status >= 500,
      refetchOnWindowFocus: false,
      staleTime: 10_000,
      // Always ask: the browser's "offline" is a hint, and a request that fails says more.
      networkMode: 'always',
    },
    mutations: { retry: false, networkMode: 'always' },
  },
});

// Everything behind sign-in (the layout, the entity definitions, the offline queue and every
// screen) is a separate chunk, and each screen a chunk of its own (SignedInApp.tsx): the sign-in
// page loads only what it shows. The shell starts loading as soon as it will be needed: at
// start-up when a session token is stored (beside GET /me), else when the sign-in form is sent
// (beside the password check).
const loadSignedIn = () => import('./SignedInApp');
const SignedInApp = lazy(loadSignedIn);
if (getToken()) void loadSignedIn();

function Gate() {
  const { me, booting, bootError, retryBoot } = useSession();
  const location = useLocation();
  if (booting) return <FullPageSpinner />;
  if (bootError) return <BootError error={bootError} onRetry={retryBoot} />;
  if (!me) {
    if (location.pathname !== '/login') {
      // Come back to the same page after signing in.
      return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
    }
    return <LoginPage onSubmit={() => void loadSignedIn()} />;
  }
  return (
    <Suspense fallback={<FullPageSpinner />}>
      <SignedInApp />
    </Suspense>
  );
}

// The data router (for useBlocker: leaving a form with unsent changes asks first); the routes
// themselves stay in <Routes> (SignedInApp.tsx) below its one catch-all route.
const router = createBrowserRouter([
  {
    path: '*',
    element: (
      <SessionProvider>
        <UpdateBanner />
        <Gate />
      </SessionProvider>
    ),
  },
]);

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>
  );
}
