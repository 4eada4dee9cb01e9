import type { TaskFilter } from "@/lib/types";

const FILTERS: { value: TaskFilter; label: string }[] = [
  { value: "all", label: "All" },
  { value: "pending", label: "Pending" },
  { value: "completed", label: "Completed" },
];

interface TaskFilterTabsProps {
  value: TaskFilter;
  onChange: (filter: TaskFilter) => void;
}

export function TaskFilterTabs({ value, onChange }: TaskFilterTabsProps) {
  return (
    <div role="group" aria-label="Show tasks" className="filters">
      {FILTERS.map((filter) => (
        <button
          key={filter.value}
          type="button"
          className="filter"
          aria-pressed={value === filter.value}
          data-testid={`filter-${filter.value}`}
          onClick={() => onChange(filter.value)}
        >
          {filter.label}
        </button>
      ))}
    </div>
  );
}
