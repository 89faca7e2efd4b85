package kb

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestTry(t *testing.T) {
	start := time.Now()
	k := Default()
	fmt.Println("load", time.Since(start), k.Stats())
	for _, s := range []string{
		"China and South Korea have agreed to get their relations back on track",
		"South Korea 's Foreign Ministry said the US-led missile defense ( MD ) networks",
		"Kang Kyung-wha told lawmakers Seoul will not deploy THAAD",
		"Chinese President Xi Jinping will meet his South Korean counterpart Moon Jae-in at the APEC summit in Vietnam",
		"arrives in Seongju , April 26 , 2017 . /Reuters Photo on the Korean Peninsula",
		"the Kremlin and the White House and Downing Street and the Pentagon said Hwasong-15 S-400 troops",
		"Turkey said it would eat turkey in Paris ; Who knows what the WHO says about Georgia",
	} {
		toks := strings.Fields(s)
		for _, m := range k.Match(toks) {
			fmt.Printf("  %q %s %s %s %s %v\n", strings.Join(toks[m.Start:m.End], " "), m.Kind, m.Code, m.Country, m.Canonical, m.Partial)
		}
		fmt.Println("--")
	}
}
