from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Query, Response, status

from app.api import API_PREFIX
from app.api.deps import ConnectionManagerDep, CurrentUser, SessionDep
from app.api.errors import MALFORMED_BODY, NOT_FOUND, UNAUTHORIZED
from app.models.common import MAX_ID
from app.models.task import Task, TaskCreate, TaskEvent, TaskPublic, TaskStatus, TaskUpdate
from app.services import tasks
from app.services.tasks import TaskNotFoundError

router = APIRouter(prefix=f"{API_PREFIX}/tasks", tags=["tasks"], responses=UNAUTHORIZED)

TaskId = Annotated[int, Path(ge=1, le=MAX_ID)]


def _not_found() -> HTTPException:
    return HTTPException(status.HTTP_404_NOT_FOUND, detail="Task not found")


@router.get("", response_model=list[TaskPublic])
def read_tasks(
    user: CurrentUser, session: SessionDep, status: Annotated[TaskStatus, Query()] = TaskStatus.ALL
) -> list[Task]:
    """List the caller's tasks, oldest first."""
    return tasks.list_tasks(session=session, owner_id=user.id, status=status)


@router.post("", status_code=status.HTTP_201_CREATED, response_model=TaskPublic, responses=MALFORMED_BODY)
def create_task(
    task_create: TaskCreate, user: CurrentUser, session: SessionDep, manager: ConnectionManagerDep
) -> TaskPublic:
    """Create a task."""
    task = TaskPublic.model_validate(tasks.create_task(session=session, owner_id=user.id, task_create=task_create))
    manager.publish_from_thread(user.id, [TaskEvent(type="task.created", task=task)])
    return task


@router.get("/{task_id}", response_model=TaskPublic, responses=NOT_FOUND)
def read_task(task_id: TaskId, user: CurrentUser, session: SessionDep) -> Task:
    """Read one task."""
    try:
        return tasks.get_task(session=session, owner_id=user.id, task_id=task_id)
    except TaskNotFoundError:
        raise _not_found() from None


@router.patch("/{task_id}", response_model=TaskPublic, responses={**MALFORMED_BODY, **NOT_FOUND})
def update_task(
    task_id: TaskId, task_update: TaskUpdate, user: CurrentUser, session: SessionDep, manager: ConnectionManagerDep
) -> TaskPublic:
    """Change any of a task's title, description and completion state."""
    try:
        updated = tasks.update_task(session=session, owner_id=user.id, task_id=task_id, task_update=task_update)
    except TaskNotFoundError:
        raise _not_found() from None
    task = TaskPublic.model_validate(updated)
    manager.publish_from_thread(user.id, [TaskEvent(type="task.updated", task=task)])
    return task


@router.delete("/{task_id}", status_code=status.HTTP_204_NO_CONTENT, responses=NOT_FOUND)
def delete_task(task_id: TaskId, user: CurrentUser, session: SessionDep, manager: ConnectionManagerDep) -> Response:
    """Delete a task."""
    try:
        task = tasks.delete_task(session=session, owner_id=user.id, task_id=task_id)
    except TaskNotFoundError:
        raise _not_found() from None
    manager.publish_from_thread(user.id, [TaskEvent(type="task.deleted", task=task)])
    return Response(status_code=status.HTTP_204_NO_CONTENT)
