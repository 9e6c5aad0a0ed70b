/** Placeholder until the editor issue lands: proves the build and the server's static serving. */
export function App() {
  return (
    <main style={{ fontFamily: 'system-ui, sans-serif', maxWidth: 640, margin: '4rem auto', lineHeight: 1.5 }}>
      <h1>Switchyard</h1>
      <p>The workflow editor is coming. The admin API is live at <code>/admin/api</code> (see <a href="/admin/api/openapi.json">openapi.json</a>).</p>
    </main>
  );
}
