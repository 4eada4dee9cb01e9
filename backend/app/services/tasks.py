"""Task operations, always scoped to one owner: another user's task is indistinguishable from a missing one."""

from sqlmodel import Session, col, select

from app.models.common import utc_now
from app.models.task import Task, TaskCreate, TaskPublic, TaskStatus, TaskUpdate


class TaskNotFoundError(LookupError):
    def __init__(self, task_id: int) -> None:
        super().__init__(f"Task {task_id} not found")


def list_tasks(*, session: Session, owner_id: int, status: TaskStatus = TaskStatus.ALL) -> list[Task]:
    query = select(Task).where(Task.owner_id == owner_id).order_by(col(Task.id))
    if status is not TaskStatus.ALL:
        query = query.where(Task.completed == (status is TaskStatus.COMPLETED))
    return list(session.exec(query).all())


def get_task(*, session: Session, owner_id: int, task_id: int) -> Task:
    task = session.exec(select(Task).where(Task.id == task_id, Task.owner_id == owner_id)).first()
    if task is None:
        raise TaskNotFoundError(task_id)
    return task


def create_task(*, session: Session, owner_id: int, task_create: TaskCreate) -> Task:
    now = utc_now()  # one clock reading, so a new task's updated_at equals its created_at
    task = Task.model_validate(task_create, update={"owner_id": owner_id, "created_at": now, "updated_at": now})
    session.add(task)
    session.commit()
    return task


def update_task(*, session: Session, owner_id: int, task_id: int, task_update: TaskUpdate) -> Task:
    task = get_task(session=session, owner_id=owner_id, task_id=task_id)
    changes = task_update.model_dump(exclude_unset=True)
    if changes:
        task.sqlmodel_update(changes)
        task.updated_at = utc_now()
        session.commit()
    return task


def delete_task(*, session: Session, owner_id: int, task_id: int) -> TaskPublic:
    """Delete a task and return how it looked, for the change notification."""
    task = get_task(session=session, owner_id=owner_id, task_id=task_id)
    snapshot = TaskPublic.model_validate(task)
    session.delete(task)
    session.commit()
    return snapshot
