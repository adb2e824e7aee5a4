// The reference for the benchmarks: a bare Express 5 "hello" route, in its own process like the app.
import express from 'express';

const port = Number(process.argv[2] ?? 0);
const app = express();
app.set('x-powered-by', false);
app.get('/', (_req, res) => {
  res.send('hello');
});
const server = app.listen(port, '127.0.0.1', () => {
  const addr = server.address();
  console.log(`ready ${typeof addr === 'object' && addr ? addr.port : port}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
