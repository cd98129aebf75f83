import { Icon } from './icons';

/** Start-up and unrecoverable states: one message, centred. */
export function StatusScreen({ title, detail }: { title: string; detail?: string }) {
  return (
    <main class="status-screen" role="status">
      <div class="brand__mark">
        <Icon name="phone" />
      </div>
      <h1>{title}</h1>
      {detail && <p class="muted">{detail}</p>}
    </main>
  );
}
