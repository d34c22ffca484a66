"""数据共享 (data exchange): the export of our projects, units, matter
handling (each matter and each handling step) and approval documents in
the shape of the national 工程建设项目审批管理系统 data-sharing tables
(SPGL_XMJBXXB, SPGL_XMDWXXB, SPGL_XMSPSXBLXXB, SPGL_XMSPSXBLXXXXB,
SPGL_XMSPSXPFWJXXB; field notes in `FIELDS.md`).

Incremental by change time: one cursor per table, one JSON Lines file per
table per run, in private storage. It reads approvals, stages and portal
and writes only its own tables; nothing imports it."""
