package framework

import _ "embed"

// referenceText is the reference article of the default framework, Han Zhaoying's
// "Building a new model for major-country relations" (Chinese Social Sciences Today,
// 2015), a byte-for-byte copy of ../shared/seed/000_c467fab3ab5cde65.txt.
//
//go:embed reference.txt
var referenceText string

// referenceName is the reference's file name in the shared seed folder, so outputs can
// say which document similarity is measured against.
const referenceName = "000_c467fab3ab5cde65.txt"

// DefaultReference returns the name and text of the reference article that the
// default framework is built from and that similarity is measured against.
func DefaultReference() (name string, text string) {
	return referenceName, referenceText
}
