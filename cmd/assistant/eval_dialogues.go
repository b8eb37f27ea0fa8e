package main

import (
	"context"
	"errors"
)

// cmdEvalDialogues runs the dialogue scenarios (contracts.md section 4).
func cmdEvalDialogues(ctx context.Context, e env) error {
	return errors.New("eval dialogues: not built yet")
}
