/**
 * The grower's recipes: named steps a job or a schedule runs. Each change is stored first, then
 * published to every screen. A recipe a schedule or a running job uses cannot be deleted.
 */
import type { StationChange } from '../../shared/events';
import { abPauseRefusal, type Recipe } from '../../shared/jobs';
import { Refusal } from '../../shared/refusal';
import type { StationState } from '../../shared/station';
import type { Recipes } from '../db';

export interface RecipeDeskOptions {
  keeper: Recipes;
  state(): StationState;
  apply(change: StationChange): void;
  /** The name of a schedule that runs the recipe, if any: it would fail at its next run. */
  scheduledWith(recipeId: string): string | undefined;
  /** Called after a recipe is saved: a schedule that ran the old steps may not run the new ones. */
  changed(): void;
}

/** What the rest of the station asks of the recipes. */
export interface RecipeBook {
  recipe(id: string): Recipe | null;
  create(recipe: Recipe): Recipe;
  update(recipe: Recipe): Recipe;
  delete(recipeId: string): void;
}

export class RecipeDesk implements RecipeBook {
  constructor(private readonly options: RecipeDeskOptions) {}

  /** Publishes the recipes to every screen. */
  start(): void {
    this.publish();
  }

  recipe(id: string): Recipe | null {
    return this.options.keeper.get(id);
  }

  create(recipe: Recipe): Recipe {
    if (this.options.keeper.get(recipe.id)) throw new Refusal('REFUSED', `there is already a recipe "${recipe.id}"; send recipe.update to change it, or choose another id`);
    return this.save(recipe);
  }

  update(recipe: Recipe): Recipe {
    if (!this.options.keeper.get(recipe.id)) throw new Refusal('NOT_FOUND', `there is no recipe "${recipe.id}"; send recipe.create to make it`);
    return this.save(recipe);
  }

  delete(recipeId: string): void {
    if (!this.options.keeper.get(recipeId)) throw new Refusal('NOT_FOUND', `there is no recipe "${recipeId}"`);
    const scheduled = this.options.scheduledWith(recipeId);
    if (scheduled !== undefined) throw new Refusal('REFUSED', `schedule "${scheduled}" runs recipe "${recipeId}"; change or delete that schedule first`);
    const running = this.options.state().jobs.find((job) => job.spec.kind === 'recipe' && job.spec.recipeId === recipeId && !job.endedAt);
    if (running) throw new Refusal('REFUSED', `job ${running.id} is running recipe "${recipeId}"; wait for it or cancel it first`);
    this.options.keeper.remove(recipeId);
    this.publish();
  }

  private save(recipe: Recipe): Recipe {
    const state = this.options.state();
    const tooSoon = abPauseRefusal(recipe, state);
    if (tooSoon) throw new Refusal('REFUSED', tooSoon);
    this.options.keeper.put(recipe);
    this.publish();
    this.options.changed();
    return recipe;
  }

  private publish(): void {
    this.options.apply({ type: 'recipes_update', recipes: this.options.keeper.all() });
  }
}
