package main

import (
	"context"
	"encoding/csv"
	"flag"
	"fmt"
	"strconv"
	"text/tabwriter"

	"github.com/sodam-ai/sodam/merchant"
)

// cmdSettle prints the settlement of a day:
//
//	assistant settle --date YYYY-MM-DD [--merchant ID] [--csv] [--database-url URL]
//
// For each channel with a sale or a refund that day (or the one named):
// gross sales, refunds, commission and payout in won, and the payments
// behind each figure. --csv writes one row per payment instead, with the
// channel's figures repeated, for spreadsheets. The rules (Seoul day,
// commission rounded down per payment) are merchant.Settle's.
func cmdSettle(ctx context.Context, e env) error {
	fs := flag.NewFlagSet("settle", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	date := fs.String("date", "", "the day, YYYY-MM-DD (Asia/Seoul)")
	id := fs.String("merchant", "", "only this merchant or event channel")
	asCSV := fs.Bool("csv", false, "write CSV")
	dbURL := fs.String("database-url", "", "Postgres URL (default $DATABASE_URL)")
	if err := fs.Parse(e.args); err != nil {
		return fmt.Errorf("%w: settle: %v", errUsage, err)
	}
	day, err := merchant.ParseDate(*date)
	if err != nil {
		return fmt.Errorf("%w: settle: --date %q is not YYYY-MM-DD", errUsage, *date)
	}
	svc, closeStore, err := openMerchant(ctx, databaseURL(*dbURL, e.getenv))
	if err != nil {
		return fmt.Errorf("settle: %w", err)
	}
	defer closeStore()
	sts, err := svc.Settle(ctx, day, *id)
	if err != nil {
		return fmt.Errorf("settle: %w", err)
	}
	if *asCSV {
		return writeSettlementCSV(e, sts)
	}
	writeSettlement(e, sts)
	return nil
}

func writeSettlement(e env, sts []*merchant.Settlement) {
	if len(sts) == 0 {
		fmt.Fprintln(e.stdout, "이 날은 매출도 환불도 없어요.")
		return
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "channel\tname\tdate\tcommission_bp\tgross\trefunds\tnet\tcommission\tpayout\t")
	for _, s := range sts {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%d\t%d\t%d\t%d\t%d\t\n", s.ChannelID, s.Name, s.Date, s.CommissionBP,
			s.Gross, s.Refunds, s.Net, s.Commission, s.Payout)
	}
	tw.Flush()
	for _, s := range sts {
		fmt.Fprintf(e.stdout, "\n%s %s\n", s.ChannelID, s.Date)
		for _, l := range s.Sales {
			fmt.Fprintf(e.stdout, "  sale    %-10s %-10s %10d commission %8d  %s\n", l.PaymentID, firstOf(l.OrderID, l.BookingID), l.Amount, l.Commission, l.At.Format("15:04:05"))
		}
		for _, l := range s.RefundLines {
			fmt.Fprintf(e.stdout, "  refund  %-10s %-10s %10d commission %8d  %s\n", l.PaymentID, firstOf(l.OrderID, l.BookingID), -l.Amount, -l.Commission, l.At.Format("15:04:05"))
		}
	}
}

func writeSettlementCSV(e env, sts []*merchant.Settlement) error {
	w := csv.NewWriter(e.stdout)
	w.Write([]string{"channel_id", "date", "commission_bp", "gross", "refunds", "net", "commission", "payout",
		"kind", "payment_id", "order_id", "booking_id", "amount", "line_commission", "at"})
	i64 := func(n int64) string { return strconv.FormatInt(n, 10) }
	for _, s := range sts {
		head := []string{s.ChannelID, s.Date, strconv.Itoa(s.CommissionBP), i64(s.Gross), i64(s.Refunds), i64(s.Net), i64(s.Commission), i64(s.Payout)}
		for _, part := range []struct {
			kind  string
			lines []merchant.SettlementLine
		}{{"sale", s.Sales}, {"refund", s.RefundLines}} {
			for _, l := range part.lines {
				row := append(append([]string(nil), head...), part.kind, l.PaymentID, l.OrderID, l.BookingID,
					i64(l.Amount), i64(l.Commission), l.At.Format("2006-01-02T15:04:05Z07:00"))
				w.Write(row)
			}
		}
		if len(s.Sales)+len(s.RefundLines) == 0 {
			w.Write(append(head, "", "", "", "", "0", "0", ""))
		}
	}
	w.Flush()
	return w.Error()
}

func firstOf(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
