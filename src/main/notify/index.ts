export { Notifier, type NotifierOptions, type NotifyDesk } from './notifier';
export { AlertRouter, type AlertFacts, type NotifyMessage } from './routing';
export { loadNotifySettings } from './settings';
