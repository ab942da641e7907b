package handlers

import "github.com/gin-gonic/gin"

// field reads a form field that must appear at most once. A repeated field
// is an error rather than a silent pick of one of the values.
func field(c *gin.Context, name string) (value string, repeated bool) {
	values := c.Request.PostForm[name]
	if len(values) > 1 {
		return "", true
	}
	if len(values) == 1 {
		return values[0], false
	}
	return "", false
}
