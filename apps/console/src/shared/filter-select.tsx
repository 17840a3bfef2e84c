// The select of a list filter: a label, "all" first, then the options (the board and the hazard pages).
export interface Option {
  value: string;
  text: string;
}

export function Select(props: { label: string; name: string; all: string; value: string; options: Option[]; onChange(v: string): void }) {
  return (
    <label class="filter">
      <span>{props.label}</span>
      <select name={props.name} value={props.value} onChange={(e) => props.onChange(e.currentTarget.value)}>
        <option value="">{props.all}</option>
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.text}
          </option>
        ))}
      </select>
    </label>
  );
}
