package main

import (
	"context"
	"flag"
	"fmt"
)

// cmdMigrate applies the embedded schema migrations:
//
//	assistant migrate [--database-url URL]
//
// Migrations run under an advisory lock, so running it while servers start
// is safe. `serve` applies them too.
func cmdMigrate(ctx context.Context, e env) error {
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	dbURL := fs.String("database-url", "", "Postgres URL (default $DATABASE_URL)")
	if err := fs.Parse(e.args); err != nil {
		return fmt.Errorf("%w: migrate: %v", errUsage, err)
	}
	url := databaseURL(*dbURL, e.getenv)
	if url == "" {
		return fmt.Errorf("%w: migrate: no database: pass --database-url or set DATABASE_URL", errUsage)
	}
	_, closeStore, err := openStore(ctx, url)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	defer closeStore()
	fmt.Fprintln(e.stdout, "migrations applied")
	return nil
}
