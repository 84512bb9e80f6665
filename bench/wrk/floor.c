// The durable HTTP floor without Node: what this machine's disk and loopback give one durable
// INSERT per POST when no runtime stands in between. Same SQLite as the hub (the amalgamation
// better-sqlite3 builds), WAL + synchronous=FULL, SQLite's own checkpoints, one connection served
// at a time, one INSERT (one table page) per request. For wrk with bench/wrk/floor.lua; the
// figures and the build line are in docs/benchmarks.md ("Seventh run"):
//   gcc -O2 -o /tmp/guichet-floor-c bench/wrk/floor.c
//     node_modules/better-sqlite3/deps/sqlite3/sqlite3.c
//     -Inode_modules/better-sqlite3/deps/sqlite3 -lpthread -ldl -lm   (one line)
//   /tmp/guichet-floor-c /tmp/floor-c.db 47001
#define _GNU_SOURCE
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "sqlite3.h"

static void check(int rc, sqlite3 *db, const char *what) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE) {
    fprintf(stderr, "%s: %s\n", what, sqlite3_errmsg(db));
    exit(1);
  }
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: %s DB_FILE PORT\n", argv[0]);
    return 2;
  }
  sqlite3 *db;
  check(sqlite3_open(argv[1], &db), db, "open");
  check(sqlite3_exec(db,
                     "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                     "CREATE TABLE IF NOT EXISTS tickets (seq INTEGER PRIMARY KEY, body TEXT, at INTEGER)",
                     0, 0, 0),
        db, "setup");
  sqlite3_stmt *insert;
  check(sqlite3_prepare_v2(db, "INSERT INTO tickets (body, at) VALUES ('{\"serviceId\":\"etat-civil\"}', ?)",
                           -1, &insert, 0),
        db, "prepare");

  int server = socket(AF_INET, SOCK_STREAM, 0), one = 1;
  setsockopt(server, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  struct sockaddr_in address = {0};
  address.sin_family = AF_INET;
  address.sin_port = htons((unsigned short)atoi(argv[2]));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(server, (struct sockaddr *)&address, sizeof address) != 0 || listen(server, 16) != 0) {
    perror("listen");
    return 1;
  }
  printf("listening %s\n", argv[2]);
  fflush(stdout);

  static char buffer[65536];
  const char *answer = "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}";
  long long n = 0;
  for (;;) {
    int client = accept(server, 0, 0);
    if (client < 0) continue;
    setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    size_t have = 0;
    for (;;) {
      ssize_t got = read(client, buffer + have, sizeof buffer - have - 1);
      if (got <= 0) break;
      have += (size_t)got;
      buffer[have] = 0;
      // Every complete request in the buffer (headers, then Content-Length bytes of body).
      for (;;) {
        char *end = strstr(buffer, "\r\n\r\n");
        if (!end) break;
        char *length = strcasestr(buffer, "content-length:");
        size_t body = length && length < end ? (size_t)atoi(length + 15) : 0;
        size_t total = (size_t)(end - buffer) + 4 + body;
        if (have < total) break;
        check(sqlite3_exec(db, "BEGIN IMMEDIATE", 0, 0, 0), db, "begin");
        sqlite3_bind_int64(insert, 1, ++n);
        check(sqlite3_step(insert), db, "insert");
        sqlite3_reset(insert);
        check(sqlite3_exec(db, "COMMIT", 0, 0, 0), db, "commit");
        if (write(client, answer, strlen(answer)) < 0) break;
        memmove(buffer, buffer + total, have - total);
        have -= total;
        buffer[have] = 0;
      }
    }
    close(client);
  }
}
