package corpus

import (
	"math"
	"strings"

	"github.com/ledongthuc/pdf"
)

// The PDF library's own GetPlainText joins the pieces of text a page shows without
// looking at where they are, so PDFs that place words by position (TeX, most word
// processors) come out as "Thefirstargumentisapointer". pageText follows the text
// positions instead: a piece that starts on a new baseline starts a new line, and one
// that starts well after the previous piece ended on the same line gets a space.

// pdfMatrix is a PDF transformation matrix [a b 0; c d 0; e f 1].
type pdfMatrix [3][3]float64

var pdfIdentity = pdfMatrix{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}

func (x pdfMatrix) mul(y pdfMatrix) pdfMatrix {
	var z pdfMatrix
	for i := 0; i < 3; i++ {
		for j := 0; j < 3; j++ {
			for k := 0; k < 3; k++ {
				z[i][j] += x[i][k] * y[k][j]
			}
		}
	}
	return z
}

func pdfTranslate(tx, ty float64) pdfMatrix {
	return pdfMatrix{{1, 0, 0}, {0, 1, 0}, {tx, ty, 1}}
}

// pdfFont is what text extraction needs of a font: how to decode its codes to Unicode
// and how far each code advances.
type pdfFont struct {
	enc     pdf.TextEncoding
	first   int
	widths  []float64
	twoByte bool // Type0 (CID) fonts use two-byte codes and keep their widths elsewhere
}

// width is the advance of code in thousandths of the font size. Fonts whose widths are
// not at hand count half an em, about an average letter.
func (f *pdfFont) width(code int) float64 {
	if i := code - f.first; i >= 0 && i < len(f.widths) && f.widths[i] > 0 {
		return f.widths[i]
	}
	return 500
}

// pdfGState is the part of the graphics and text state that moves text around.
type pdfGState struct {
	ctm                     pdfMatrix
	tc, tw, th, tl, tfs, ts float64
	font                    *pdfFont
}

// Thresholds, in units of the font size, for turning positions into separators.
const (
	pdfNewLineShift = 0.5  // a baseline moved by more than this starts a new line
	pdfWordGap      = 0.15 // a gap wider than this between pieces on a line is a space
)

// pageText extracts the text of one page in the order the page draws it, within
// limits (done is the length of the text of the pages before it).
func pageText(p pdf.Page, limits *pdfLimits, done int) string {
	contents := p.V.Key("Contents")
	if contents.Kind() == pdf.Null {
		return ""
	}
	var (
		b               strings.Builder
		g               = pdfGState{ctm: pdfIdentity, th: 1}
		stack           []pdfGState
		tm, tlm         = pdfIdentity, pdfIdentity
		fonts           = map[string]*pdfFont{}
		havePrev        bool
		prevEndX, prevY float64
	)
	fontFor := func(name string) *pdfFont {
		if f, ok := fonts[name]; ok {
			return f
		}
		pf := p.Font(name)
		f := &pdfFont{first: pf.FirstChar(), widths: pf.Widths(), twoByte: pf.V.Key("Subtype").Name() == "Type0"}
		if f.enc = pf.Encoder(); f.enc == nil {
			f.enc = plainEncoding{}
		}
		fonts[name] = f
		return f
	}
	// origin is where the text matrix now puts the next glyph, in page space, and the
	// font size there.
	origin := func() (x, y, size float64) {
		trm := pdfMatrix{{g.tfs * g.th, 0, 0}, {0, g.tfs, 0}, {0, g.ts, 1}}.mul(tm).mul(g.ctm)
		return trm[2][0], trm[2][1], math.Hypot(trm[1][0], trm[1][1])
	}
	show := func(raw string) {
		if g.font == nil {
			g.font = &pdfFont{enc: plainEncoding{}}
		}
		x, y, size := origin()
		if size < 1e-3 {
			size = 1e-3
		}
		if havePrev {
			switch dy, gap := math.Abs(y-prevY), x-prevEndX; {
			case dy > pdfNewLineShift*size || gap < -2*size:
				b.WriteByte('\n')
			case gap > pdfWordGap*size:
				b.WriteByte(' ')
			}
		}
		b.WriteString(g.font.enc.Decode(raw))
		step := 1
		if g.font.twoByte {
			step = 2
		}
		for i := 0; i+step <= len(raw); i += step {
			code := int(raw[i])
			if step == 2 {
				code = code<<8 | int(raw[i+1])
			}
			tx := g.font.width(code)/1000*g.tfs + g.tc
			if step == 1 && code == ' ' {
				tx += g.tw
			}
			tm = pdfTranslate(tx*g.th, 0).mul(tm)
		}
		prevEndX, _, _ = origin()
		prevY, havePrev = y, true
	}
	nextLine := func() {
		tlm = pdfTranslate(0, -g.tl).mul(tlm)
		tm = tlm
	}

	ops := 0
	pdf.Interpret(contents, func(stk *pdf.Stack, op string) {
		if ops++; ops%1024 == 0 {
			limits.check(done + b.Len())
		}
		args := make([]pdf.Value, stk.Len())
		for i := len(args) - 1; i >= 0; i-- {
			args[i] = stk.Pop()
		}
		num := func(i int) float64 { return args[i].Float64() }
		// Operators with the wrong number of operands are ignored, as viewers do.
		switch {
		case op == "q":
			stack = append(stack, g)
		case op == "Q" && len(stack) > 0:
			g, stack = stack[len(stack)-1], stack[:len(stack)-1]
		case op == "cm" && len(args) == 6:
			g.ctm = pdfMatrix{{num(0), num(1), 0}, {num(2), num(3), 0}, {num(4), num(5), 1}}.mul(g.ctm)
		case op == "BT":
			tm, tlm = pdfIdentity, pdfIdentity
		case op == "Tc" && len(args) == 1:
			g.tc = num(0)
		case op == "Tw" && len(args) == 1:
			g.tw = num(0)
		case op == "Tz" && len(args) == 1:
			g.th = num(0) / 100
		case op == "TL" && len(args) == 1:
			g.tl = num(0)
		case op == "Ts" && len(args) == 1:
			g.ts = num(0)
		case op == "Tf" && len(args) == 2:
			g.font, g.tfs = fontFor(args[0].Name()), num(1)
		case (op == "Td" || op == "TD") && len(args) == 2:
			if op == "TD" {
				g.tl = -num(1)
			}
			tlm = pdfTranslate(num(0), num(1)).mul(tlm)
			tm = tlm
		case op == "Tm" && len(args) == 6:
			tm = pdfMatrix{{num(0), num(1), 0}, {num(2), num(3), 0}, {num(4), num(5), 1}}
			tlm = tm
		case op == "T*":
			nextLine()
		case op == "Tj" && len(args) == 1:
			show(args[0].RawString())
		case op == "'" && len(args) == 1:
			nextLine()
			show(args[0].RawString())
		case op == "\"" && len(args) == 3:
			g.tw, g.tc = num(0), num(1)
			nextLine()
			show(args[2].RawString())
		case op == "TJ" && len(args) == 1:
			arr := args[0]
			for i := 0; i < arr.Len(); i++ {
				switch v := arr.Index(i); v.Kind() {
				case pdf.String:
					show(v.RawString())
				case pdf.Integer, pdf.Real:
					tm = pdfTranslate(-v.Float64()/1000*g.tfs*g.th, 0).mul(tm)
				}
			}
		}
	})
	return b.String()
}

// plainEncoding decodes codes as Latin-1 when a font has no usable encoding.
type plainEncoding struct{}

func (plainEncoding) Decode(raw string) string {
	r := make([]rune, len(raw))
	for i := 0; i < len(raw); i++ {
		r[i] = rune(raw[i])
	}
	return string(r)
}
