/** The usage text of each command: printed by `--help` (exit 0) and with every usage error. */

const configOptions = `Options (each is also an environment variable; a flag wins):
  --host HOST                 HOST: where HTTP listens (default 127.0.0.1)
  --port PORT                 PORT (default 8080)
  --data-dir DIR              STOCKD_DATA_DIR: the LMDB data directory (default ./data)
  --workers N                 STOCKD_WORKERS: worker threads (default cores - 1)
  --partitions N              STOCKD_PARTITIONS: partitions of a new data directory (default 64)
  --kafka-brokers LIST        KAFKA_BROKERS: host:port,... (Kafka is off when unset)
  --database-url URL          DATABASE_URL: the reporting database (off when unset)
  --log-level LEVEL           STOCKD_LOG_LEVEL: fatal, error, warn, info, debug, trace, silent
  --<variable> VALUE          any other variable of README's Configuration table in lower
                              kebab case, e.g. --stockd-relay-idle-poll-ms 20
  -h, --help                  this text`;

export const usages = Object.freeze({
  stockd: `Usage: stockd [command] [options]

Commands:
  serve      run the service: HTTP, the engine and, when configured, Kafka and PostgreSQL
             (the default)
  project    run the PostgreSQL projector alone
  import     receive stock from a CSV file, through a running server
  inspect    show an item straight from a data directory
  api-key    make an API key and the entry that configures it

Run \`stockd <command> --help\` for the options of a command.`,

  serve: `Usage: stockd serve [options]

Runs the service on HOST:PORT with its data in STOCKD_DATA_DIR. SIGTERM drains and exits 0.

${configOptions}`,

  project: `Usage: stockd project [options]

Runs the PostgreSQL projector alone: events from Kafka into DATABASE_URL (both required), with
metrics on HOST:PORT/metrics.

${configOptions}`,

  import: `Usage: stockd import <file.csv> [--url URL] [--api-key KEY] [--batch N]

Receives stock through a running server's POST /inventory/receipts, from lines of
sku,warehouseId,quantity[,reason] (a header line and blank lines are skipped).

Options:
  --url URL      the server (default $STOCKD_URL, else http://127.0.0.1:8080)
  --api-key KEY  a key with the scope inventory:admin (default $STOCKD_API_KEY; a server
                 without keys needs none)
  --batch N      receipts per request, 1 to 10000 (default 1000)
  -h, --help     this text

Exits 0 when every line was received, 1 when some were refused (each is reported), 77 when
the server refused the key.`,

  inspect: `Usage: stockd inspect --sku SKU --warehouse-id WAREHOUSE [--data-dir DIR] [--events N]

Shows an item's levels, its held reservations and its newest events, read straight from a data
directory (read-only, safe while the server runs).

Options:
  --sku SKU                the item's sku
  --warehouse-id ID        the item's warehouse
  --data-dir DIR           the data directory (default $STOCKD_DATA_DIR, else ./data)
  --events N               newest events to show, 1 to 10000 (default 20)
  -h, --help               this text

Exits 0 when the item exists, 1 when it does not.`,

  'api-key': `Usage: stockd api-key <name> <scope>[,<scope>…]

Makes a new random API key and prints it with the entry that configures it: give the key to
its client (Authorization: Bearer <key>), and the entry to the server (STOCKD_API_KEYS, or a
line of the file STOCKD_API_KEYS_FILE names). The server is only given the key's hash; the
name is the actor recorded in the events of the key's commands.

Scopes: inventory:read, inventory:reserve, inventory:admin, reports:read.

Options:
  -h, --help     this text`,
});

export type CommandName = Exclude<keyof typeof usages, 'stockd'>;
