import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { connectStation } from './store';
import { chooseTransport } from './transport/choose';
import { followUnitChoice } from './units';
import './styles.css';

connectStation(chooseTransport(window));
followUnitChoice(window);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
