import type { Config } from './config.js';

/** What a start prints on stdout. The admin token appears only on the start that generated it. */
export function startupBanner(config: Config, driver: 'pglite' | 'postgres'): string {
  const lines = [
    '',
    `  Switchyard is running at ${config.publicUrl}`,
    `  Storage: ${driver === 'pglite' ? `embedded PGlite in ${config.database.driver === 'pglite' ? config.database.dataDir : ''}` : 'PostgreSQL (DATABASE_URL)'}`,
    tokenLine(config),
    '',
  ];
  return `${lines.join('\n')}\n`;
}

function tokenLine(config: Config): string {
  const file = `${config.dataDir}/admin-token`;
  switch (config.adminTokenSource) {
    case 'generated':
      return `  Log in with the admin token ${config.adminToken}\n  (generated now and kept in ${file}; it is not printed again)`;
    case 'file':
      return `  Log in with the admin token kept in ${file}`;
    default:
      return '  Log in with the admin token from SWITCHYARD_ADMIN_TOKEN';
  }
}
