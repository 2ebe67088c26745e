// Container health check without curl: GET /health on the given port must answer 200.
const port = process.argv[2] || process.env.PORT || 3000;
fetch(`http://127.0.0.1:${port}/health`)
  .then((r) => process.exit(r.status === 200 ? 0 : 1))
  .catch(() => process.exit(1));
