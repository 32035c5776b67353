package browser

import (
	"bytes"
	"fmt"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Process is a command started in its own process group, so that ending
// it also ends the helpers it spawned (renderers, MiniBrowser, the WebKit
// web and network processes), which could otherwise outlive it.
type Process struct {
	cmd     *exec.Cmd
	done    chan struct{}
	waitErr error
	stopped sync.Once
}

// Start starts cmd in a new process group. Its stdout and stderr, if not
// set, go to out.
func Start(cmd *exec.Cmd, out *Output) (*Process, error) {
	if cmd.Stdout == nil {
		cmd.Stdout = out
	}
	if cmd.Stderr == nil {
		cmd.Stderr = out
	}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	// Helpers inherit stdout and stderr; one that outlives the process
	// must not keep Wait blocked.
	cmd.WaitDelay = 2 * time.Second
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", cmd.Path, err)
	}
	p := &Process{cmd: cmd, done: make(chan struct{})}
	go func() {
		p.waitErr = p.cmd.Wait()
		close(p.done)
	}()
	return p, nil
}

// Done is closed when the process has exited.
func (p *Process) Done() <-chan struct{} { return p.done }

// Err is how the process exited; valid once Done is closed.
func (p *Process) Err() error { return p.waitErr }

// Stop waits up to grace for the process to exit on its own (after the
// caller asked it to), then kills its whole process group, by the group's
// id, and waits for it. Safe to call more than once.
func (p *Process) Stop(grace time.Duration) {
	p.stopped.Do(func() {
		select {
		case <-p.done:
		case <-time.After(grace):
		}
		// The group outlives its leader when helpers are left.
		_ = syscall.Kill(-p.cmd.Process.Pid, syscall.SIGKILL)
		<-p.done
	})
}

// Output receives a process's output: it keeps the last lines for error
// messages and announces the first line that starts with a given prefix
// (such as "DevTools listening on ").
type Output struct {
	prefix string

	mu      sync.Mutex
	partial []byte
	lines   []string
	found   bool
	// Announced receives the rest of the first line that starts with the
	// prefix, trimmed.
	Announced chan string
}

// OutputKeep is how many lines an Output keeps.
const OutputKeep = 40

// NewOutput returns an Output that announces the first line starting with
// prefix ("" announces nothing).
func NewOutput(prefix string) *Output {
	return &Output{prefix: prefix, Announced: make(chan string, 1)}
}

// Write implements io.Writer.
func (o *Output) Write(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.partial = append(o.partial, p...)
	for {
		i := bytes.IndexByte(o.partial, '\n')
		if i < 0 {
			break
		}
		line := strings.TrimRight(string(o.partial[:i]), "\r")
		o.partial = o.partial[i+1:]
		if !o.found && o.prefix != "" {
			if rest, ok := strings.CutPrefix(line, o.prefix); ok {
				o.found = true
				o.Announced <- strings.TrimSpace(rest)
			}
		}
		o.lines = append(o.lines, line)
		if len(o.lines) > OutputKeep {
			o.lines = o.lines[len(o.lines)-OutputKeep:]
		}
	}
	return len(p), nil
}

// Tail returns the last complete lines.
func (o *Output) Tail() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return strings.Join(o.lines, "\n")
}

// Lines returns how many lines Tail holds.
func (o *Output) Lines() int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return len(o.lines)
}
