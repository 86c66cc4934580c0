package sandbox

// WithoutCgroups makes the package behave, until restore is called, as on
// a machine where cgroups are not writable (an unprivileged grader's):
// memory is then measured by polling.
func WithoutCgroups() (restore func()) {
	CgroupsWritable()
	was := cgroupOK
	cgroupOK = false
	return func() { cgroupOK = was }
}

// HasWarmInit tells whether an init waits in n for the next start.
func (n *Net) HasWarmInit() bool {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.warm != nil
}

// WarmInitSetUp tells whether the init waiting in n has its setup already,
// so that a start takes it as it is.
func (n *Net) WarmInitSetUp() bool {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.warm != nil && n.warm.setup != nil
}
