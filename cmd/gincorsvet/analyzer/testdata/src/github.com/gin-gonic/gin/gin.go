// Package gin is a stub of the parts of github.com/gin-gonic/gin that
// gincorsvet looks at, with the same names and signatures.
package gin

import "net/http"

type HandlerFunc func(*Context)

type H map[string]any

type Accounts map[string]string

type IRoutes interface {
	Use(...HandlerFunc) IRoutes
	GET(string, ...HandlerFunc) IRoutes
	OPTIONS(string, ...HandlerFunc) IRoutes
}

type ResponseWriter interface {
	http.ResponseWriter
}

type Context struct {
	Request *http.Request
	Writer  ResponseWriter
}

func (c *Context) Next()                                     {}
func (c *Context) Abort()                                    {}
func (c *Context) AbortWithStatus(code int)                  {}
func (c *Context) AbortWithStatusJSON(code int, jsonObj any) {}
func (c *Context) AbortWithError(code int, err error) *Error { return nil }
func (c *Context) JSON(code int, obj any)                    {}
func (c *Context) String(code int, format string, v ...any)  {}
func (c *Context) Status(code int)                           {}
func (c *Context) Header(key, value string)                  {}
func (c *Context) GetHeader(key string) string               { return "" }

type Error struct{}

type RouterGroup struct{}

func (group *RouterGroup) Use(middleware ...HandlerFunc) IRoutes { return nil }
func (group *RouterGroup) Group(relativePath string, handlers ...HandlerFunc) *RouterGroup {
	return nil
}
func (group *RouterGroup) Handle(method, relativePath string, handlers ...HandlerFunc) IRoutes {
	return nil
}
func (group *RouterGroup) GET(relativePath string, handlers ...HandlerFunc) IRoutes     { return nil }
func (group *RouterGroup) POST(relativePath string, handlers ...HandlerFunc) IRoutes    { return nil }
func (group *RouterGroup) PUT(relativePath string, handlers ...HandlerFunc) IRoutes     { return nil }
func (group *RouterGroup) DELETE(relativePath string, handlers ...HandlerFunc) IRoutes  { return nil }
func (group *RouterGroup) OPTIONS(relativePath string, handlers ...HandlerFunc) IRoutes { return nil }
func (group *RouterGroup) Any(relativePath string, handlers ...HandlerFunc) IRoutes     { return nil }

type Engine struct {
	RouterGroup
}

func (engine *Engine) Use(middleware ...HandlerFunc) IRoutes { return nil }
func (engine *Engine) Run(addr ...string) error              { return nil }

func New() *Engine     { return &Engine{} }
func Default() *Engine { return &Engine{} }

func Recovery() HandlerFunc { return nil }
func Logger() HandlerFunc   { return nil }

func BasicAuth(accounts Accounts) HandlerFunc                       { return nil }
func BasicAuthForRealm(accounts Accounts, realm string) HandlerFunc { return nil }

const (
	DebugMode   = "debug"
	ReleaseMode = "release"
	TestMode    = "test"
)

func Mode() string { return DebugMode }
