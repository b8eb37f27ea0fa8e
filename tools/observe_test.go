package tools

import (
	"errors"
	"fmt"
	"testing"

	"github.com/sodam-ai/sodam"
)

func TestCallCode(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"success", nil, "ok"},
		{"with op and message", &sodam.Error{Code: sodam.ECONFLICT, Op: "tools.CartAdd", Message: "품절이에요."}, sodam.ECONFLICT},
		{"code only", &sodam.Error{Code: sodam.ENOTFOUND}, sodam.ENOTFOUND},
		{"op only", &sodam.Error{Code: sodam.EINVALID, Op: "tools.Pay"}, sodam.EINVALID},
		{"wrapped", fmt.Errorf("pay: %w", &sodam.Error{Code: sodam.EUNAVAILABLE, Op: "kakaopay.Ready", Message: "잠시 뒤", Err: errors.New("timeout")}), sodam.EUNAVAILABLE},
		{"plain error without a code", errors.New("boom"), sodam.EINTERNAL},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			text := ""
			if tc.err != nil {
				text = tc.err.Error()
			}
			if got := callCode(text); got != tc.want {
				t.Errorf("callCode(%q) = %q, want %q", text, got, tc.want)
			}
		})
	}
}
