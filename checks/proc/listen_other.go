//go:build !linux

package proc

func canDiscover() bool { return false }

func (p *Process) listening() ([]Listener, error) { return nil, ErrNoDiscovery }

func (p *Process) boundUDP() ([]Listener, error) { return nil, ErrNoDiscovery }
