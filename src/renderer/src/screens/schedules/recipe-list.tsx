import type { Recipe } from '../../../../shared/jobs';
import { ConfirmDelete } from './confirm-delete';
import { describeStep } from './recipe-draft';
import { useStationOptions } from './station-options';
import { useJobNames } from '../../components/use-job-names';
import { useViewOnly } from '../../components/view-only';
import { useCommand } from '../../components/use-command';

interface RecipeListProps {
  recipes: readonly Recipe[];
  onEdit: (recipe: Recipe) => void;
}

export function RecipeList({ recipes, onEdit }: RecipeListProps) {
  if (recipes.length === 0) return <p className="empty">No recipes yet.</p>;
  return (
    <ul className="rows item-list">
      {recipes.map((recipe) => (
        <RecipeItem key={recipe.id} recipe={recipe} onEdit={onEdit} />
      ))}
    </ul>
  );
}

function RecipeItem({ recipe, onEdit }: { recipe: Recipe; onEdit: (recipe: Recipe) => void }) {
  const names = useJobNames();
  const { tables } = useStationOptions();
  const readOnly = useViewOnly();
  const removal = useCommand();
  const remove = async () => {
    const ack = await removal.send({ type: 'recipe.delete', recipeId: recipe.id });
    return ack.ok ? null : ack.error.message;
  };
  return (
    <li className="item">
      <div className="item-head">
        <h3 className="item-name">{recipe.name}</h3>
        <span className="pill">
          {recipe.steps.length} step{recipe.steps.length === 1 ? '' : 's'}
        </span>
      </div>
      <ol className="item-steps">
        {recipe.steps.map((step, index) => (
          <li key={index}>{describeStep(step, names, tables.channels)}</li>
        ))}
      </ol>
      <div className="item-actions">
        <button type="button" aria-label={`${readOnly ? 'View' : 'Edit'} recipe ${recipe.name}`} onClick={() => onEdit(recipe)}>
          {readOnly ? 'View' : 'Edit'}
        </button>
        <ConfirmDelete what={`recipe ${recipe.name}`} disabled={readOnly} onDelete={remove} />
      </div>
    </li>
  );
}
