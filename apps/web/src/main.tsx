import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { accessToken } from './lib/access-token.ts';
import { startSocket } from './lib/socket.ts';
import { startUrlState } from './lib/url-state.ts';
import { Dashboard } from './routes/dashboard/dashboard.tsx';
import './styles.css';

accessToken(); // first: moves a ?token= out of the URL before the URL state reads and rewrites it
startUrlState();
startSocket();

const root = document.getElementById('root');
if (!root) throw new Error('#root is missing from index.html');
createRoot(root).render(
  <StrictMode>
    <Dashboard />
  </StrictMode>,
);
