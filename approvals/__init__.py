"""The work: projects, applications per stage (FSM), parallel review tasks
(FSM), materials, certificates, notifications and the transition log; the
services that move them, the pages that call those services, and the Celery
tasks that carry out side effects. Depends on `stages` and `portal`."""
