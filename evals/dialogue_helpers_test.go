package evals

import (
	"strconv"

	"github.com/sodam-ai/sodam"
)

func itoa(n int) string { return strconv.Itoa(n) }

func turnOf(user, text string) sodam.Turn {
	return sodam.Turn{UserID: user, Text: text, Channel: "eval"}
}
