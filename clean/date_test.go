package clean

import (
	"testing"

	"github.com/detente/detente"
)

func TestDate(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"an ISO date stays as it is", "2017-10-31", "2017-10-31"},
		{"a written date with an abbreviated month", "Oct 31, 2017", "2017-10-31"},
		{"a written date with a dotted abbreviation", "Oct. 31, 2017", "2017-10-31"},
		{"a written date with an ordinal and full month", "October 31st, 2017", "2017-10-31"},
		{"a day-first written date", "31 October 2017", "2017-10-31"},
		{"a date with its weekday", "Tuesday, October 31, 2017", "2017-10-31"},
		{"Sept is read as September", "Sept. 5, 2017", "2017-09-05"},
		{"a labelled date loses its label", "Published: Oct 31, 2017", "2017-10-31"},
		{"RFC 1123 in GMT gives a UTC timestamp", "Tue, 31 Oct 2017 08:00:00 GMT", "2017-10-31T08:00:00Z"},
		{"RFC 1123 with a numeric offset is converted to UTC", "Tue, 31 Oct 2017 08:00:00 +0800", "2017-10-31T00:00:00Z"},
		{"RFC 3339 with an offset is converted to UTC", "2017-10-31T23:30:00-05:00", "2017-11-01T04:30:00Z"},
		{"RFC 3339 fractions are dropped", "2017-10-31T08:00:00.123Z", "2017-10-31T08:00:00Z"},
		{"a zoneless SQL timestamp is taken as UTC", "2017-10-31 08:00:00", "2017-10-31T08:00:00Z"},
		{"a known zone abbreviation is converted", "Oct 31, 2017 8:00 a.m. EST", "2017-10-31T13:00:00Z"},
		{"an ambiguous zone keeps only the date", "Oct 31, 2017 11:30 PM ET", "2017-10-31"},
		{"a Unix date with its zone before the year", "Tue Oct 31 08:00:00 UTC 2017", "2017-10-31T08:00:00Z"},
		{"a written date and time with 'at'", "October 31, 2017 at 3:04 PM", "2017-10-31T15:04:00Z"},
		{"surrounding spaces do not matter", "  2017-10-31 ", "2017-10-31"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Date(tt.in)
			if err != nil {
				t.Fatalf("Date(%q): %v", tt.in, err)
			}
			if got != tt.want {
				t.Errorf("Date(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if again, err := Date(got); err != nil || again != got {
				t.Errorf("Date(%q) = %q, %v: a normalized date must normalize to itself", got, again, err)
			}
		})
	}
}

func TestDateRejectsWhatIsNotADate(t *testing.T) {
	for _, in := range []string{"", "yesterday", "2017-13-45", "31/10/2017", "0000-01-01", "Tuesday", "CGTN"} {
		t.Run(in, func(t *testing.T) {
			got, err := Date(in)
			if err == nil {
				t.Fatalf("Date(%q) = %q, want an error", in, got)
			}
			if code := detente.ErrorCode(err); code != detente.EINVALID {
				t.Errorf("error code = %q, want %q", code, detente.EINVALID)
			}
		})
	}
}
