// Starts telegram-test-api, an independent emulator of the Telegram Bot API server.
// Usage: node telegram-emulator.js [port] [storeTimeoutSeconds]
const TelegramServer = require('telegram-test-api');
// One malformed request must not take the emulator down for every other test.
process.on('unhandledRejection', e => console.error('unhandledRejection:', e && e.message));
const server = new TelegramServer({
  port: +(process.argv[2] || 9000),
  host: '127.0.0.1',
  storeTimeout: +(process.argv[3] || 300),
});
server.start().then(() => console.log('listening ' + server.config.apiURL));
process.on('SIGTERM', () => server.stop().then(() => process.exit(0)));
